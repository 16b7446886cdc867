/**
 * The reply (答复) check of 第十六条 (一)–(六): what a closing reply must contain, and what it must not be.
 *
 * A draft has optional structured fields and/or the free text that goes to the platform; an item missing from the
 * structured fields is looked for in the text. Text is normalised first (full-width/half-width forms, quotes, dashes,
 * whitespace, 已经→已), and the phrase rules are patterns over realistic wording, not exact strings.
 *
 * The decisive notion is a *concrete result*: a recognisable statement of what was done or answered (a penalty, a refund,
 * a repair, 责令整改, an answer citing 《…》 or telling the reporter what to do …). The closing phrases of (四), the
 * transfers and promises of (五) and the templates of (六) are refused when the reply offers them *instead of* a concrete
 * result and a full account; a complete reply that merely contains `已解决` is not refused for that alone. Statements that
 * the matter is still being handled (`正在办理中`, `处理中`) are refused always (不得未办理先办结).
 *
 * Pure; imports no calendar.
 */
import { isBlank, letters, matchesOf, normalise, sentences, similarity } from './text';
import { verdict, type Verdict, type Violation } from './types';

/** A reply draft: structured fields (preferred) and/or the free text sent to the platform. */
export interface ReplyDraft {
  /** The reply text that goes to the platform. */
  text?: string;
  /** (一) 与群众联系的具体时间. */
  contactedAt?: Date;
  /** (一) 答复群众具体工作人员. */
  staffName?: string;
  /** (一) 联系方式 of that staff member. */
  staffPhone?: string;
  /** (一) 处理过程. */
  process?: string;
  /** (一) 办理结果. */
  result?: string;
  /** (一) 群众反馈情况. */
  reporterFeedback?: string;
}

/** What else the check may use. */
export interface ReplyContext {
  /** (三) the reasons of the ticket's earlier return requests, which must not come back as the result. */
  returnReasons?: readonly string[];
  /** (二) the complaint text, to catch a reply that does not answer it (文不对题). */
  complaintText?: string;
  /** (五) `false` when the system holds no record of any handling (未办理先办结). */
  handled?: boolean;
}

/** The six elements of 第十六条(一). */
export type ReplyElement = 'contactTime' | 'staff' | 'phone' | 'process' | 'result' | 'feedback';

/** Where an element was found. */
export interface ElementFinding {
  present: boolean;
  from?: 'field' | 'text';
  /** The matching text, when found in the text. */
  evidence?: string;
}

/** What the check found in a reply (also useful to show the official what was recognised). */
export interface ReplyAnalysis {
  elements: Record<ReplyElement, ElementFinding>;
  /** A concrete result is stated. */
  concreteResult: boolean;
  /** (二) vague result phrases (已处理, 加强管理 …). */
  vague: string[];
  /** (三) return-ground wording used as a result. */
  returnWording: string[];
  /** (四) forbidden closing phrases (已解决, 已联系, 已告知相关政策 …). */
  closingPhrases: string[];
  /** (五) statements that the matter is still being handled. */
  inProgress: string[];
  /** (五) transfers (已转xx处理 …). */
  transfers: string[];
  /** (五) promises instead of a result (将尽快处理 …). */
  promises: string[];
  /** (六) template wording (已与您取得联系 …). */
  templates: string[];
}

// ---------------------------------------------------------------------------------------------------------------------
// Patterns, on normalised text (，：；（）！？ are , : ; ( ) ! ?; 已经 is 已). `[^。;,]` stays inside one clause.

/** (一) a date or time: 2026年10月9日14时30分, 10月9日, 10月9号下午3点, 2026-10-09 14:30, 十月九日. */
const DATE =
  /(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}[日号](?:(?:上午|下午|晚上|早上|中午|凌晨|傍晚)?\d{1,2}(?:[:时点]\d{1,2}分?|[时点]))?|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?: ?\d{1,2}:\d{2}(?::\d{2})?)?|[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}[日号]/g;

/** (一) words of contacting the reporter, in the sentence that carries the date. */
const CONTACT = /联系|致电|去电|回电|电话|通话|沟通|约见|面谈|见面|走访|上门|当面|告知|答复|回复|短信|微信/;

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施牛樊葛邢齐乔伍庞颜倪庄聂章鲁岳翟殷詹耿焦俞左柳祝宁舒阮纪梅童毕裴霍涂苗谷盛翁骆蓝辛靳柴鲍华祁滕屈艾穆卓古吉褚窦戚岑佟卫邬边卞刁荣郎甄尚高';
/** Words after 工作人员 that start with a surname character but are not names. */
const NOT_A_NAME = /^(?:马上|高度|高效|严格|严肃|严厉|周到|周密|常规|任何|方面|宁愿|尚未|齐心|曾经|许多|何时|毕竟|陆续|温和|耐心)/;
const STAFF_ROLE = '(?:工作人员|经办人员?|办理人员?|承办人员?|联系人|答复人|执法人员|办事人员|科员|民警)';
/** (一) staff: 工作人员张伟 / 经办人:李某 / 王科长 / 工号1023. */
const STAFF_AFTER_ROLE = new RegExp(`${STAFF_ROLE}[:"(]?(?:为|是)?([${SURNAMES}](?:某{1,2}|[\\u4e00-\\u9fa5]{1,2}))`, 'g');
const STAFF_WITH_TITLE = new RegExp(
  `[${SURNAMES}](?:某{1,2}|[\\u4e00-\\u9fa5]{0,2}?)(?:同志|副?科长|副?主任|副?队长|副?处长|经理|副?站长|副?所长|副?局长|专员|师傅|警官|组长)`,
  'g',
);
const STAFF_EXPLICIT = new RegExp(`${STAFF_ROLE}(?:姓名)?:[\\u4e00-\\u9fa5]{2,4}|工号:?\\d{2,}`, 'g');

/** (一) a contact number: mobile, landline with area code, or a local number after 电话/联系方式. */
const MOBILE = /(?<!\d)1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)/;
const LANDLINE = /(?<!\d)0\d{2,3}[- ]?\d{3,4}[- ]?\d{4}(?!\d)/;
const LOCAL_NUMBER = /(?:电话|联系方式|手机|座机|号码|tel)(?:号码)?(?:[:为是])?(?<!\d)\d{3,4}[- ]?\d{4}(?!\d)/i;
const PHONE = new RegExp(`${MOBILE.source}|${LANDLINE.source}|${LOCAL_NUMBER.source}`, 'gi');

/** (一) handling process: 经核实, 经调查, 现场核查, 调取监控 … */
const PROCESS =
  /经(?:过)?(?:核实|核查|调查|查实|查证|了解|研究|协调|排查|检查|复核|调取|调阅|查阅|比对|勘查|走访|查询|询问|现场)|经查|现场(?:核查|检查|查看|勘查|调查|核实|处置)|实地(?:查看|核查|检查|调查|走访)|(?:调取|调阅|查阅)了?[^。;,]{0,10}?(?:记录|录像|录音|视频|监控|资料|轨迹|GPS|台账|票据)|(?:约谈|询问|走访|检查|核查|调查|排查)了?(?:涉事|该|相关|涉及)|赴现场|到达现场|前往[^。;,]{0,10}?(?:现场|核查|查看|检查)|(?:会同|协调|联合)[^。;,]{0,10}?(?:企业|公司|部门|单位|区|执法)/g;

/** (一) reporter feedback: 反映人表示满意, 无异议, 表示理解, 不认可 … */
const FEEDBACK =
  /(?:表示|反馈|称|认为)[^。;,]{0,10}?(?:满意|认可|理解|接受|同意|异议|不满|感谢|谢意|明白|清楚|知晓|知悉|无其他诉求|没有其他诉求|无其他问题|再次反映|不再反映|继续反映)|满意|无异议|有异议|不认可|(?:反映人|群众|来电人|市民|当事人|诉求人|投诉人|举报人|乘客)(?:对[^。;,]{0,12}?)?(?:认可|理解|接受|同意)/g;

/** Concrete results: what was done or answered. */
const CONCRETE: readonly RegExp[] = [
  /已(?:于[^。;,]{0,12}?)?[^。;,]{0,15}?(?:修复|修好|恢复|退还|退回[^。;,]{0,4}?(?:费|款)|退款|退费|返还|补发|补办|补缴|补偿|赔偿|处罚|罚款|立案|整改|更换|维修|修缮|清理|清除|拆除|安装|调整|开通|增设|设置|撤销|纠正|更正|下发|发放|查处|查扣|暂扣|吊销|注销|移除|疏通|铺设|施划|补划|加装|取消|送达|约谈|批评教育|扣分|停运|改正|整顿|纳入|列入|归还|交还|找回|送还|补正|办理了?[^。;,]{0,6}?(?:手续|证|登记|备案|变更))/,
  /(?:作出|做出|给予|予以|处以|依法)[^。;,]{0,20}?(?:处罚|罚款|警告|通报批评|退还|退款|补偿|赔偿|扣分|吊销|暂扣|立案|批评教育)/,
  /(?:罚款|退还|退款|补偿|赔偿|返还|退费)[^。;]{0,10}?\d+(?:\.\d+)?元|\d+(?:\.\d+)?元[^。;,]{0,6}?(?:罚款|退还|退款|补偿|赔偿|返还|退费)/,
  /责令[^。;]{1,30}?(?:整改|改正|停止|纠正|退还|限期)/,
  /(?:根据|依据|按照)《[^》]{2,40}》[^。;]{6,}/,
  /(?:需|须|应|可)(?:携带|提供|前往|到|登录|拨打|通过|办理|提交|缴纳|申请|持)[^。;,]{4,}/,
  /(?:符合|不符合|不予|准予|同意|不同意)[^。;,]{0,10}?(?:条件|规定|要求|受理|许可|申请)/,
  /(?:目前|现已|现在|截至[^。;,]{0,10}?)[^。;,]{0,20}?(?:恢复正常|正常运营|正常运行|正常通行|运行正常|已恢复)/,
];
/** An answer given to the reporter, concrete when it says more than "the relevant policy". */
const ANSWER = /(?:告知|解释|答复|说明|解答)了?(?:反映人|来电人|市民|其|群众|当事人|对方|诉求人|乘客)?[:"]?([^。;,]{8,})/g;
const ANSWER_FILLER = /相关|有关|的|政策|规定|法规|情况|问题|清楚|明白|了|到位|完毕|内容|反映人|来电人|市民|群众/g;

/** (二) vague results. */
const VAGUE =
  /已(?:按(?:照)?(?:相关|有关)?(?:规定|程序|要求))?(?:依法|依规|妥善|认真|及时|积极)?(?:处理|处置|办理|落实)(?:完毕|完成|到位)?(?=$|[。;,!?])|已(?:经)?办结(?=$|[。;,!?])|(?:加强|强化)(?:管理|监管|教育|巡查|宣传|培训|督导|检查)|进一步(?:加强|规范|完善|改进|提升)|予以关注|持续关注|高度重视|引起重视|酌情(?:处理|考虑)|研究解决|择机|适时|视情况/g;

/** (三) return-ground wording (第八条(三)). */
const RETURN_WORDING =
  /不属于?(?:我|本)(?:单位|局|处|部门|中心|队)?的?(?:职责|管辖|管理|职能)(?:范围)?|非(?:我|本)(?:单位|局|处|部门)的?职责|不在(?:我|本)(?:单位|局|处|部门)?的?(?:职责|管辖)范围|(?:工单|信息)(?:要素)?(?:不全|有误|不完整)|(?:已|正在)?(?:进入|申请|提起)了?(?:信访|诉讼|仲裁|复议)(?:程序)?|知识库中?(?:已有|已公示|有明确)|属于?重复(?:反映|工单)/g;

/** (四) closing phrases: 已告知(相关)政策, 已解释(相关)政策, 已解决, 已联系 and their variants. */
const CLOSING =
  /已(?:向[^。;,]{0,8}?)?(?:告知|解释|讲解|说明|宣传)了?[^。;,]{0,6}?(?:相关|有关)?的?政策(?:规定|法规)?|已(?:作|做|进行)?(?:告知|解释|说明|答复|回复)(?:清楚|到位|完毕)?(?=$|[。;,!?])|(?:已|得到)(?:妥善|圆满|基本|全部|彻底|有效)?解决|已(?:于[^。;,]{0,12}?)?(?:电话|当面|及时|第一时间|多次)?(?:与|和|同|跟)(?!您|你)[^。;,]{0,8}?(?:取得|进行)?了?(?:电话)?(?:联系|沟通)|已(?:于[^。;,]{0,12}?)?(?:电话|及时|第一时间)?(?:联系|沟通)(?!您|你)了?(?:反映人|来电人|市民|群众|当事人|诉求人)?/g;

/** (五) the matter is still being handled. */
const IN_PROGRESS =
  /(?:正在|仍在|尚在|还在|目前在)(?:办理|处理|核实|核查|调查|协调|研究|跟进|落实)|(?:办理|处理|核查|核实|调查|协调|研究|跟进)中(?=$|[。;,!?)、])|待(?:处理|办理|核实|进一步核实|调查)(?=$|[。;,!?])|尚未(?:办结|办理完毕|处理完毕)/g;

/** (五) transfers: 已转市道路运输局处理, 已移交执法总队, 转由…处理. */
const TRANSFER =
  /已?(?:转交|移交|转至|转给|转派|转办|交由|转由|交给|转)(?!账|弯|向|运|变|化|告|达|发|载|乘|车|入|出|让|换|移|型)[^。;,]{1,20}?(?:处理|办理|核查|调查|核实|答复|跟进|解决|负责)|已(?:转交|移交|转至|转派|转办|转)(?!账|弯|向|运|变|化|告|达|发|载|乘|车|入|出|让|换|移|型)[^。;,]{2,20}/g;

/** (五) promises instead of a result: 将尽快处理, 后续将 … */
const PROMISE =
  /(?:将|会)(?:尽快|及时|进一步|继续|持续|认真|积极|抓紧|加快)?(?:处理|核查|调查|办理|落实|安排|解决|研究|跟进|回复|核实|协调|整改)|尽快(?:处理|解决|安排|落实|办理)|后续(?:将|会)|择期|待[^。;,]{1,10}?后(?:再|将)/g;

/** (六) template wording: 已与您取得联系……, 您反映的问题已收悉, 感谢您的支持, 如有疑问请致电 … */
const TEMPLATE =
  /已(?:电话)?(?:与|和|同|跟)(?:您|你)(?:取得)?了?(?:电话)?联系|已(?:电话)?联系(?:过)?(?:您|你)|(?:您|你)(?:反映|咨询|投诉|举报)的(?:问题|情况|事项|诉求)(?:我们|我单位|我局|我处)?已(?:收到|收悉|知悉|受理)|感谢(?:您|你)(?:的来电|对[^。;,]{0,12}?的?(?:支持|关注|理解|监督)|的(?:支持|理解|关注|监督))|如有(?:疑问|问题|其他问题|其他诉求)[^。;]{0,6}?(?:请|可)(?:再次)?(?:致电|拨打|联系)|(?:我单位|我局|我处|我们)(?:高度|非常)重视/g;

/** Generic bigrams that say nothing about a complaint's subject (for 文不对题). */
const GENERIC_WORDS =
  '反映问题市民来电您好希望要求请求相关部门工作处理解决联系电话情况表示满意现在目前这个那个一个没有我们他们你们因为所以但是如果已经进行可以需要时候今天昨天天津本市诉求投诉举报咨询建议办理回复答复工单热线单位核实问题反映人';

// ---------------------------------------------------------------------------------------------------------------------

function found(from: 'field' | 'text', evidence?: string): ElementFinding {
  return evidence === undefined ? { present: true, from } : { present: true, from, evidence };
}
const MISSING: ElementFinding = { present: false };

function contactTimeIn(text: string): string | undefined {
  for (const s of sentences(text)) {
    const date = s.match(DATE);
    if (date && CONTACT.test(s)) return date[0];
  }
  return undefined;
}

function staffIn(text: string): string | undefined {
  for (const m of text.matchAll(STAFF_AFTER_ROLE)) if (!NOT_A_NAME.test(m[1]!)) return m[0];
  return matchesOf(text, STAFF_WITH_TITLE)[0] ?? matchesOf(text, STAFF_EXPLICIT)[0];
}

function isConcrete(text: string): boolean {
  if (CONCRETE.some((p) => p.test(text))) return true;
  for (const m of text.matchAll(ANSWER)) {
    const said = m[1]!;
    if (said.search(CLOSING) !== -1) continue;
    if (letters(said.replace(ANSWER_FILLER, '')).length >= 6) return true;
  }
  return false;
}

/** What a structured result says beyond the recognised phrases (a structured result needs no verb to be concrete). */
function substantive(result: string): number {
  let rest = result;
  for (const p of [CLOSING, VAGUE, RETURN_WORDING, IN_PROGRESS, TRANSFER, PROMISE, TEMPLATE]) rest = rest.replace(p, '');
  return letters(rest.replace(/问题|该|此事|事项|反映人|您|的|了|我单位|我局/g, '')).length;
}

/**
 * 第十六条: what a reply contains — the six elements of (一) (from the structured fields, else from the text), whether it
 * states a concrete result, and the phrases of (二)–(六) it uses.
 */
export function analyseReply(draft: ReplyDraft): ReplyAnalysis {
  const text = normalise(draft.text ?? '');
  const field = (s: string | undefined) => (isBlank(s) ? undefined : normalise(s!));
  const resultField = field(draft.result);
  const resultText = resultField ?? text;
  const all = [text, field(draft.process), resultField, field(draft.reporterFeedback)].filter((s) => s !== undefined).join('。');

  const phoneField = field(draft.staffPhone);
  const phoneInField = phoneField !== undefined && matchesOf(phoneField, PHONE).length > 0;
  const elements: Record<ReplyElement, ElementFinding> = {
    contactTime:
      draft.contactedAt !== undefined && !Number.isNaN(draft.contactedAt.getTime())
        ? found('field')
        : ((t) => (t === undefined ? MISSING : found('text', t)))(contactTimeIn(text)),
    staff: field(draft.staffName) !== undefined ? found('field') : ((s) => (s === undefined ? MISSING : found('text', s)))(staffIn(text)),
    phone: phoneInField ? found('field') : ((p) => (p === undefined ? MISSING : found('text', p)))(matchesOf(text, PHONE)[0]),
    process:
      field(draft.process) !== undefined ? found('field') : ((p) => (p === undefined ? MISSING : found('text', p)))(matchesOf(text, PROCESS)[0]),
    result: MISSING,
    feedback:
      field(draft.reporterFeedback) !== undefined
        ? found('field')
        : ((f) => (f === undefined ? MISSING : found('text', f)))(matchesOf(text, FEEDBACK)[0]),
  };
  // A result field counts as a result by its length only when it is not one of the forbidden substitutes
  // (第十六条(二)–(五)): a return reason, a closing phrase, a transfer, a promise or a vague formula stays what it is.
  const substituteInField =
    resultField !== undefined && [RETURN_WORDING, CLOSING, TRANSFER, PROMISE, VAGUE].some((pattern) => matchesOf(resultField, pattern).length > 0);
  const concreteResult = isConcrete(resultText) || (resultField !== undefined && !substituteInField && substantive(resultField) >= 8);
  if (concreteResult) elements.result = resultField !== undefined ? found('field') : found('text');
  return {
    elements,
    concreteResult,
    vague: matchesOf(resultText, VAGUE),
    returnWording: matchesOf(resultText, RETURN_WORDING),
    closingPhrases: matchesOf(resultText, CLOSING),
    inProgress: matchesOf(all, IN_PROGRESS),
    transfers: matchesOf(resultText, TRANSFER),
    promises: matchesOf(resultText, PROMISE),
    templates: matchesOf(all, TEMPLATE),
  };
}

const ELEMENT_NAMES: Record<ReplyElement, string> = {
  contactTime: '与群众联系的具体时间',
  staff: '答复群众的具体工作人员',
  phone: '工作人员联系方式',
  process: '处理过程',
  result: '办理结果',
  feedback: '群众反馈情况',
};

function quote(phrases: string[]): string {
  return [...new Set(phrases)].map((p) => `“${p}”`).join('、');
}

function returnReasonReused(resultText: string, reasons: readonly string[]): string | undefined {
  const result = letters(resultText);
  for (const reason of reasons) {
    const r = letters(reason);
    if (r.length >= 6 && (result.includes(r) || similarity(resultText, reason) >= 0.6)) return reason;
  }
  return undefined;
}

function offTopic(text: string, complaint: string): boolean {
  const generic = new Set<string>();
  for (let i = 0; i + 1 < GENERIC_WORDS.length; i++) generic.add(GENERIC_WORDS.slice(i, i + 2));
  const subject = letters(complaint);
  const keys = new Set<string>();
  for (let i = 0; i + 1 < subject.length; i++) {
    const g = subject.slice(i, i + 2);
    if (!generic.has(g) && !/\d/.test(g)) keys.add(g);
  }
  if (keys.size < 4) return false;
  const reply = letters(text);
  for (const g of keys) if (reply.includes(g)) return false;
  return true;
}

/**
 * 第十六条 (一)–(六): whether a reply may close the ticket. Every violation at once, each naming its rule and article:
 * (一) the six elements; (二) vague result, off-topic reply; (三) a return reason as the result; (四) 已告知/已解释相关政策,
 * 已解决, 已联系 instead of a result; (五) 办理中 / 已转xx处理 / promises, or closing before handling; (六) templates.
 */
export function checkReply(draft: ReplyDraft, context: ReplyContext = {}): Verdict {
  const a = analyseReply(draft);
  const text = normalise(draft.text ?? '');
  const resultText = isBlank(draft.result) ? text : normalise(draft.result!);
  const v: Violation[] = [];
  const complete = a.concreteResult && Object.values(a.elements).every((e) => e.present);

  const reusedReason = context.returnReasons ? returnReasonReused(resultText, context.returnReasons) : undefined;
  // The ticket's own return reason given as the result is refused however it is worded (第十六条(三)).
  const usesReturnReason = (reusedReason !== undefined && !isBlank(draft.result)) || (!a.concreteResult && (reusedReason !== undefined || a.returnWording.length > 0));
  const closesWithPhrase = !a.concreteResult && a.closingPhrases.length > 0;
  const transfers = !a.concreteResult && a.transfers.length > 0;
  const promises = !a.concreteResult && a.promises.length > 0;
  const isVague = !a.concreteResult && (a.vague.length > 0 || !isBlank(draft.result));
  const resultSubstitute = usesReturnReason || closesWithPhrase || transfers || promises || isVague || a.inProgress.length > 0;

  for (const [element, finding] of Object.entries(a.elements) as [ReplyElement, ElementFinding][]) {
    if (finding.present || (element === 'result' && resultSubstitute)) continue;
    v.push({
      rule: `reply.missing.${element}`,
      article: '第十六条(一)',
      reason: `答复内容应体现${ELEMENT_NAMES[element]}。`,
      field: element === 'contactTime' ? 'contactedAt' : element === 'staff' ? 'staffName' : element === 'phone' ? 'staffPhone' : element === 'feedback' ? 'reporterFeedback' : element,
    });
  }
  if (isVague && !usesReturnReason && !closesWithPhrase && !transfers && !promises && a.inProgress.length === 0)
    v.push({
      rule: 'reply.vague-result',
      article: '第十六条(二)',
      reason: `办理结果模糊不清${a.vague.length > 0 ? `（${quote(a.vague)}）` : ''}，应写明具体办理结果。`,
      field: 'result',
    });
  if (context.complaintText !== undefined && !isBlank(text + (draft.result ?? '')) && offTopic(`${text}${draft.result ?? ''}${draft.process ?? ''}`, context.complaintText))
    v.push({ rule: 'reply.off-topic', article: '第十六条(二)', reason: '答复内容与群众反映的问题不对应（文不对题）。', field: 'text' });
  if (usesReturnReason)
    v.push({
      rule: 'reply.return-reason-as-result',
      article: '第十六条(三)',
      reason: `不得以退回理由作为办理结果${reusedReason !== undefined ? '（答复与退单理由相同）' : `（${quote(a.returnWording)}）`}。`,
      field: 'result',
    });
  if (closesWithPhrase)
    v.push({
      rule: 'reply.closing-phrase',
      article: '第十六条(四)',
      reason: `不得以${quote(a.closingPhrases)}等内容办结，应写明具体处理过程和办理结果。`,
      field: 'result',
    });
  if (a.inProgress.length > 0)
    v.push({
      rule: 'reply.in-progress',
      article: '第十六条(五)',
      reason: `不得以${quote(a.inProgress)}等过程性答复内容办结，不得未办理先办结。`,
      field: 'result',
    });
  if (transfers)
    v.push({
      rule: 'reply.transferred',
      article: '第十六条(五)',
      reason: `不得以${quote(a.transfers)}等过程性答复内容办结，应写明最终办理结果。`,
      field: 'result',
    });
  if (promises || context.handled === false)
    v.push({
      rule: 'reply.not-yet-handled',
      article: '第十六条(五)',
      reason: promises ? `答复仅有${quote(a.promises)}等承诺，不得未办理先办结。` : '系统中无办理记录，不得未办理先办结。',
      field: 'result',
    });
  if (a.templates.length > 0 && !complete)
    v.push({
      rule: 'reply.template',
      article: '第十六条(六)',
      reason: `不得以${quote(a.templates)}等模板式答复内容办结。`,
      field: 'text',
    });
  return verdict(v);
}

/**
 * For 第二十二条(三): whether a reply says the reporter was contacted and the problem solved (to compare with what the
 * reporter says at the revisit).
 */
export function replyClaims(draft: ReplyDraft): { contacted: boolean; solved: boolean } {
  const text = normalise([draft.text, draft.result].filter((s) => s !== undefined).join('。'));
  const contacted = draft.contactedAt !== undefined || /联系|致电|去电|回电|沟通|上门|面谈|当面/.test(text);
  const solved =
    /(?:已|得到)(?:妥善|圆满|基本|全部|彻底|有效)?解决|已[^。;,]{0,10}?(?:修复|修好|恢复|退还|退款|补发|更换|维修|清理|拆除|安装|开通|处理完毕|办结)/.test(text);
  return { contacted, solved };
}
