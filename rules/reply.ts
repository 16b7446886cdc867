/**
 * The reply (答复) check of 第十六条 (一)–(六): what a closing reply must contain, and what it must not be.
 *
 * What the platform receives is one text (decision of ../shared/spec/rules.md, "what the platform receives"):
 * `platformReplyText` composes it from the free text and, for each element of (一) the free text does not state, a
 * sentence built from the structured field. The check reads exactly that text, so a reply passes (一) only if the text
 * the platform gets carries all six elements. Text is normalised first (full-width/half-width forms, quotes, dashes,
 * whitespace, 已经→已), and the phrase rules are patterns over realistic wording, not exact strings.
 *
 * The decisive notion is a *concrete result*: a recognisable statement of what was done or answered (a penalty, a refund,
 * a repair, an apology, 增设…, 责令整改, a finding that the complaint is unfounded, an answer citing 《…》 or telling the
 * reporter what to do …). A return ground (第八条(三): not our duty, incomplete information, go elsewhere …) is never a
 * result (三), however it is worded. The closing phrases of (四), the transfers and promises of (五) and the templates of
 * (六) are refused when the reply offers them *instead of* a concrete result and a full account; a complete reply that
 * merely contains `已解决` is not refused for that alone. Statements that the matter is still being handled
 * (`正在办理中`, `处理中`) are refused always (不得未办理先办结).
 *
 * Pure; imports no calendar and no Intl (the contact time is written in Asia/Shanghai, UTC+8, by hand).
 */
import { bigrams, compact, isBlank, letters, matchesOf, normalise, sentences, similarity } from './text';
import { HOUR } from './time';
import { verdict, type Verdict, type Violation } from './types';

/** A reply draft: structured fields and/or the free text; the platform receives `platformReplyText(draft)`. */
export interface ReplyDraft {
  /** The official's free text of the reply. */
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
  /**
   * 第二十八条(六): the co-handling units' results on the demands they own; the lead unit's consolidated reply carries
   * each of them (appended to the text the platform receives).
   */
  partResults?: readonly { unit: string; demands: readonly string[]; result: string }[];
}

/** What else the check may use. */
export interface ReplyContext {
  /** (三) the reasons of the ticket's earlier return requests, which must not come back as the result. */
  returnReasons?: readonly string[];
  /** (二) the complaint text, to catch a reply that does not answer it (文不对题). */
  complaintText?: string;
  /**
   * (二) topical keywords of the complaint (`complaintKeywords`), for 文不对题 where the complaint text is not at hand:
   * the API computes them at dispatch and passes them in the workflow input, which holds no complaint text.
   */
  complaintKeywords?: readonly string[];
  /** (五) `false` when the system holds no record of any handling (未办理先办结). */
  handled?: boolean;
  /** 第十九条(三): the reporter is anonymous (匿名反映) — nobody to contact, no feedback to report. */
  reporterAnonymous?: boolean;
}

/** The six elements of 第十六条(一). */
export type ReplyElement = 'contactTime' | 'staff' | 'phone' | 'process' | 'result' | 'feedback';

/** Where an element was found. */
export interface ElementFinding {
  present: boolean;
  /** `text` when the free text states it, `field` when the sentence composed from the structured field does. */
  from?: 'field' | 'text';
  /** The matching text, when found in the free text. */
  evidence?: string;
}

/** What the check found in a reply (also useful to show the official what was recognised). */
export interface ReplyAnalysis {
  /** (一) the text sent to the platform (`platformReplyText`), which everything below was read from. */
  platformText: string;
  elements: Record<ReplyElement, ElementFinding>;
  /** A concrete result is stated. */
  concreteResult: boolean;
  /** (二) vague result phrases (已处理, 加强管理 …). */
  vague: string[];
  /** (三) return-ground wording (不属于我委职责, 信息不全, 请向…反映 …). */
  returnWording: string[];
  /** (三) the ticket's own return reason, when the reply repeats it. */
  reusedReturnReason?: string;
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
/** A label in front of a number (联系电话：022…, 电话138…): names the staff's number, says nothing of a contact. */
const NUMBER_LABEL = /(?:联系)?(?:电话|方式|手机|座机)(?:号码)?[:为是]?(?=[\d(+])/g;

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康施牛樊葛邢齐乔伍庞颜倪庄聂章鲁岳翟殷詹耿焦俞左柳祝宁舒阮纪梅童毕裴霍涂苗谷盛翁骆蓝辛靳柴鲍华祁滕屈艾穆卓古吉褚窦戚岑佟卫邬边卞刁荣郎甄尚高';
/** Words after 工作人员 that start with a surname character but are not names. */
const NOT_A_NAME = /^(?:马上|高度|高效|严格|严肃|严厉|周到|周密|常规|任何|方面|宁愿|尚未|齐心|曾经|许多|何时|毕竟|陆续|温和|耐心)/;
const STAFF_ROLE =
  '(?:工作人员|经办人员?|办理人员?|承办人员?|联系人|答复人|执法人员|办事人员|科员|民警|客服(?:人员|专员)|调度员|稽查(?:人员|员)|值班(?:人员|员)|管理人员)';
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
  /经(?:过)?(?:核实|核查|调查|查实|查证|了解|研究|协调|排查|检查|复核|调取|调阅|查阅|比对|勘查|勘察|走访|查询|询问|约谈|巡查|巡检|检测|鉴定|现场|[^。;,]{1,4}?(?:巡查|检查|核查))|经查|现场(?:核查|检查|查看|勘查|调查|核实|处置)|实地(?:查看|核查|检查|调查|走访)|(?:调取|调阅|查阅)了?[^。;,]{0,10}?(?:记录|录像|录音|视频|监控|资料|轨迹|GPS|台账|票据|档案|合同|订单|数据)|(?:约谈|询问|走访|检查|核查|调查|排查)了?(?:涉事|该|相关|涉及)|赴现场|到达现场|前往[^。;,]{0,10}?(?:现场|核查|查看|检查)|(?:会同|协调|联合)[^。;,]{0,10}?(?:企业|公司|部门|单位|区|执法)/g;

/** (一) reporter feedback: 反映人表示满意, 无异议, 表示理解, 不认可 … */
const FEEDBACK =
  /(?:表示|反馈|称|认为)[^。;,]{0,10}?(?:满意|认可|理解|接受|同意|异议|不满|感谢|谢意|明白|清楚|知晓|知悉|无其他诉求|没有其他诉求|无其他问题|再次反映|不再反映|继续反映)|满意|无异议|有异议|不认可|(?:反映人|群众|来电人|市民|当事人|诉求人|投诉人|举报人|乘客)(?:对[^。;,]{0,12}?)?(?:认可|理解|接受|同意)/g;

/**
 * (一) the labels `platformReplyText` writes in front of a structured field (and officials write in the text): the
 * element is stated when something follows the label. The label of the result carries no result by itself: what follows
 * is read like any result.
 */
const PROCESS_LABEL = /(?:处理|办理)过程:([^。;!?]+)/g;
const RESULT_LABEL = /(?:办理|处理)结果:([^。;!?]+)/g;
const FEEDBACK_LABEL = /(?:群众|反映人)?反馈(?:情况)?:([^。;!?]+)/g;
/** What after a label states nothing. */
const NOTHING = /^(?:无|暂无|没有|不详|未知|略|空)$/;

/** Measures taken (also without 已 when the sentence says it is done, see `measureIn`). */
const MEASURE_VERBS =
  '修复|修好|恢复|退还|退款|退费|返还|补发|补办|补缴|补偿|赔偿|处罚|罚款|处以|立案|整改|更换|换新|维修|修缮|修补|填补|回填|清理|清除|拆除|安装|加装|补装|调整|开通|增设|加设|增派|增开|加开|增加|延长|设置|撤销|纠正|更正|下发|发放|张贴|查处|查扣|暂扣|吊销|注销|移除|疏通|铺设|施划|补划|取消|送达|约谈|批评教育|通报批评|扣分|停运|停岗|待岗|停职|辞退|解聘|改正|整顿|归还|交还|找回|送还|补正|致歉|道歉|赔礼';
const MEASURE = new RegExp(MEASURE_VERBS, 'g');
/** Words before a measure, in its clause, that make it a plan, a request, a negation or the complaint restated. */
const NOT_DONE = new RegExp(
  `(?:将|会)(?:要|于|在|尽快|及时|进一步|继续|逐步|陆续|适时|择机|加快|抓紧|对|组织|安排|督促|协调|研究|考虑|视|依法|依规|按|根据|严格|认真|积极|全力|持续|加大|加强|${MEASURE_VERBS})|` +
    '拟|计划|准备|预计|打算|争取|尽快|后续|下一步|今后|以后|届时|待|需要|需|须|应当|应该|应予|必须|建议|希望|要求|请求|申请|期盼|期待|是否|能否|可否|何时|为何|为什么|怎么|如何|正在|仍在|尚在|还在|反映(?!人)|(?<!被)投诉|(?<!被)举报|来电(?!人)|所述|称|未|没|无法|无人|不能|不(?!仅|但|久)|拒(?!载)|加强|强化|进一步',
);
/** A sentence that tells of something done: 已, 了, 当即, a date … */
const DONE = /已|了|当即|当场|随即|立即|即时|当日|当天|次日|同日|随后|目前|现已|(?:19|20)\d{2}年|\d{1,2}月\d{1,2}[日号]|于[^。;,]{0,12}?[日号时点]/;

/** Concrete results: what was done or answered. */
const CONCRETE: readonly RegExp[] = [
  new RegExp(`已(?:于[^。;,]{0,12}?)?[^。;,]{0,15}?(?:${MEASURE_VERBS}|退回[^。;,]{0,4}?(?:费|款)|纳入|列入|办理了?[^。;,]{0,6}?(?:手续|证|登记|备案|变更))`),
  /(?:作出|做出|给予|予以|处以|依法)[^。;,]{0,20}?(?:处罚|罚款|警告|通报批评|退还|退款|补偿|赔偿|扣分|吊销|暂扣|立案|批评教育)/,
  /(?:罚款|退还|退款|补偿|赔偿|返还|退费)[^。;]{0,10}?\d+(?:\.\d+)?元|\d+(?:\.\d+)?元[^。;,]{0,6}?(?:罚款|退还|退款|补偿|赔偿|返还|退费)/,
  /责令[^。;]{1,30}?(?:整改|改正|停止|纠正|退还|限期)/,
  /(?:根据|依据|按照)《[^》]{2,40}》[^。;]{6,}/,
  /(?:需|须|应|可)(?:携带|提供|前往|到|登录|拨打|通过|办理|提交|缴纳|申请|持)[^。;,]{4,}/,
  /(?:符合|不符合|不予|准予|同意|不同意)[^。;,]{0,10}?(?:条件|规定|要求|受理|许可|申请)/,
  /(?:目前|现已|现在|截至[^。;,]{0,10}?)[^。;,]{0,20}?(?:恢复正常|正常运营|正常运行|正常通行|运行正常|已恢复)/,
  // The finding of the check is the answer when the complaint proves unfounded.
  /(?:反映|投诉|举报)?的?(?:情况|问题|内容|事项)(?:基本)?不属实|未发现[^。;,]{0,12}?(?:违规|违法|违章|行为|问题|现象)/,
];
/** An answer given to the reporter, concrete when it says more than "the relevant policy". */
const ANSWER = /(?:告知|解释|答复|说明|解答)了?(?:反映人|来电人|市民|其|群众|当事人|对方|诉求人|乘客)?[:"]?([^。;,]{8,})/g;
const ANSWER_FILLER = /相关|有关|的|政策|规定|法规|情况|问题|清楚|明白|了|到位|完毕|内容|反映人|来电人|市民|群众/g;

/** (二) vague results. */
const VAGUE =
  /已(?:按(?:照)?(?:相关|有关)?(?:规定|程序|要求))?(?:依法|依规|妥善|认真|及时|积极)?(?:处理|处置|办理|落实)(?:完毕|完成|到位)?(?=$|[。;,!?])|已(?:经)?办结(?=$|[。;,!?])|(?:加强|强化)(?:管理|监管|教育|巡查|宣传|培训|督导|检查)|进一步(?:加强|规范|完善|改进|提升)|予以关注|持续关注|高度重视|引起重视|酌情(?:处理|考虑)|研究解决|择机|适时|视情况/g;

const OUR_UNIT = '(?:我|本)(?:们|委|委员会|单位|局|处|部门|中心|队|所|站|公司)*的?';
/**
 * (三) return grounds of 第八条(三) given as the result: not our duty (in the regulation's words 我委 too), incomplete or
 * unverifiable information, go elsewhere (请向…反映, 建议您到…咨询, 请自行向法院起诉), repeat, knowledge base, a legal
 * process.
 */
const RETURN_WORDING = new RegExp(
  [
    `不(?:属于?|在|是|归)${OUR_UNIT}(?:职责|管辖|管理|职能|业务|权限|监管)(?:范围|范畴)?`,
    `非${OUR_UNIT}(?:职责|管辖|职能|业务)`,
    `超出了?${OUR_UNIT}(?:职责|管辖|职能|权限)(?:范围)?`,
    '不归(?:我|本)?[^。;,]{0,4}?管',
    '(?:无权|没有权限|无管辖权)(?:处理|管辖|查处|受理|过问)?',
    '属于?(?!我|本)[^。;,]{2,15}?的?(?:职责|职能|管辖)(?:范围)?',
    '应由(?!我|本)[^。;,]{2,15}?(?:负责|处理|管辖|受理|解决)(?=$|[。;,!?])',
    '(?:工单|信息|地址|位置|车牌号?|车号|线路|时间|诉求|描述|内容)(?:要素)?(?:不全|不详|不清|有误|不完整|不明确|不准确|缺失)',
    '(?:无法|未能|不能)(?:核实|查实|查证|确认|判断|定位|查找|找到|核查|查到|查询到|联系上|联系到)',
    '查无此(?:车|人|事)',
    '(?:请|建议|可以?|应当?|需要?|须|告知|引导|劝导)(?:您|其|反映人|来电人|市民|当事人|乘客)?(?:自行|另行|直接|依法)?(?:通过)?(?:向|到|去|前往|至|拨打|联系|致电)[^。;,]{1,20}?(?:反映|咨询|投诉|举报|起诉|诉讼|仲裁|求助|主张|维权|申诉|解决)',
    '(?:通过|走|寻求)(?:司法|法律|诉讼|仲裁)(?:途径|程序|渠道)',
    '自行(?:向[^。;,]{1,15}?)?(?:起诉|协商解决)',
    '(?:已|正在)?(?:进入|申请|提起)了?(?:信访|诉讼|仲裁|复议)(?:程序)?',
    '知识库中?(?:已有|已公示|有明确)',
    '属于?重复(?:反映|工单)',
  ].join('|'),
  'g',
);

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

/** (二) words that say nothing about a complaint's subject (for 文不对题), including the labels of `platformReplyText`. */
const GENERIC_WORDS = [
  '反映 反映人 来电 来电人 市民 群众 您好 希望 要求 请求 相关 部门 工作 工作人员 处理 解决 联系 电话 情况 表示 满意 现在 目前',
  '这个 那个 一个 没有 我们 他们 你们 因为 所以 但是 如果 已经 进行 可以 需要 时候 今天 昨天 天津 本市 诉求 投诉 举报 咨询',
  '建议 办理 回复 答复 工单 热线 单位 核实 问题 反馈 结果 过程 时间 人员 承办 经办 联系时间 联系电话 处理过程 办理结果 群众反馈',
  '姓名 身份证号 证件号码 手机号码 电话号码 联系方式 上午 下午 晚上 凌晨',
]
  .join(' ')
  .split(' ');
const GENERIC = new Set(GENERIC_WORDS.flatMap((w) => [...bigrams(w)]));
/** Characters that join words rather than make them: a keyword bigram never spans one. */
const FUNCTION_CHARS = /[的了在是我他她你您和与并都也就还被把给对说称着过吗呢吧啊这那其该此从到向于及或又很太最再让要会能将]/;
/** Subjects of the Commission's hotlines, preferred as keywords over bare bigrams. */
const TOPIC_TERMS = [
  '出租车 出租汽车 网约车 公交车 公交 地铁 轨道交通 轻轨 长途客车 客运站 汽车站 火车站 站台 站牌 站亭 站点 线路 班次 发车 首班车 末班车',
  '拒载 绕路 绕道 议价 打表 宰客 多收 车费 票价 计价器 发票 一卡通 扫码 刷卡 投币 司机 驾驶员 乘务员 乘客 甩客 甩站 跳站 停靠',
  '超速 闯红灯 急刹车 违停 停车 停车场 收费 道路 路面 坑洼 破损 井盖 路灯 护栏 标线 信号灯 红绿灯 施工 占道 噪音 扬尘 渣土车',
  '货车 危险品 超载 超限 高速 收费站 服务区 桥梁 隧道 积水 公路 驾校 教练 练车 学时 维修 修理厂 年审 从业资格 资格证 运输证',
  '营运证 充电桩 码头 港口 轮渡 船舶 客流 拥挤 排队 引导员 安检 空调 座椅 扶梯 电梯 卫生 黑车 非法营运 顺风车 换乘 无障碍 盲道',
  '老年卡 学生卡 优惠 退款 押金 辱骂 态度',
]
  .join(' ')
  .split(' ');
/** Fewer topical bigrams than this say too little of a complaint to call a reply off-topic. */
const MIN_TOPIC_BIGRAMS = 3;
/** 《中华人民共和国个人信息保护法》: other people's names with an honorific (孙先生, 王某女士, 张师傅). */
const HONORIFIC = new RegExp(`[${SURNAMES}]某{0,2}(?:先生|女士|小姐|师傅)`, 'g');
/** At most this many keywords travel with the workflow input. */
const MAX_KEYWORDS = 12;

// ---------------------------------------------------------------------------------------------------------------------

function contactTimeIn(text: string): string | undefined {
  for (const s of sentences(text)) {
    const date = s.match(DATE);
    if (date && CONTACT.test(s.replace(NUMBER_LABEL, ''))) return date[0];
  }
  return undefined;
}

function staffIn(text: string): string | undefined {
  for (const m of text.matchAll(STAFF_AFTER_ROLE)) if (!NOT_A_NAME.test(m[1]!)) return m[0];
  return matchesOf(text, STAFF_WITH_TITLE)[0] ?? matchesOf(text, STAFF_EXPLICIT)[0];
}

/** What follows each label of `pattern` that states something. */
function labelled(text: string, pattern: RegExp): string[] {
  return [...text.matchAll(pattern)].map((m) => m[1]!.trim()).filter((said) => letters(said) !== '' && !NOTHING.test(letters(said)));
}

/** A measure stated as done: a measure verb in a sentence that tells of something done, not planned, asked or denied. */
function measureIn(text: string): string | undefined {
  for (const sentence of sentences(text)) {
    if (!DONE.test(sentence)) continue;
    for (const clause of sentence.split(',')) {
      for (const m of clause.matchAll(MEASURE)) if (!NOT_DONE.test(clause.slice(0, m.index))) return clause.slice(m.index);
    }
  }
  return undefined;
}

/** The evidence of a concrete result in `text`. */
function concreteIn(text: string): string | undefined {
  for (const pattern of CONCRETE) {
    const m = pattern.exec(text);
    if (m) return m[0];
  }
  for (const m of text.matchAll(ANSWER)) {
    const said = m[1]!;
    if (said.search(CLOSING) === -1 && letters(said.replace(ANSWER_FILLER, '')).length >= 6) return m[0];
  }
  return measureIn(text);
}

/** What a labelled result says beyond the recognised phrases (after a label, a result needs no verb to be concrete). */
function substantive(result: string): number {
  let rest = result;
  for (const p of [CLOSING, VAGUE, RETURN_WORDING, IN_PROGRESS, TRANSFER, PROMISE, TEMPLATE]) rest = rest.replace(p, '');
  return letters(rest.replace(/问题|该|此事|事项|反映人|您|的|了|我单位|我局/g, '')).length;
}

/** A labelled result that is none of the forbidden substitutes of 第十六条(二)–(五) and says enough. */
function labelledResultIn(text: string): string | undefined {
  return labelled(text, RESULT_LABEL).find(
    (said) => ![RETURN_WORDING, CLOSING, TRANSFER, PROMISE, VAGUE].some((p) => matchesOf(said, p).length > 0) && substantive(said) >= 8,
  );
}

/** (三) the return reason a sentence repeats (the reason, or one of its sentences of ≥ 6 characters, or ≥ 0.6 alike). */
function reasonRepeatedIn(sentence: string, reasons: readonly string[]): string | undefined {
  const said = letters(sentence);
  return reasons.find((reason) =>
    [reason, ...sentences(normalise(reason))].some((r) => letters(r).length >= 6 && (said.includes(letters(r)) || similarity(sentence, r) >= 0.6)),
  );
}

/** The six elements and the result as read from normalised text. */
interface Reading {
  found: Record<ReplyElement, string | undefined>;
  resultStated: boolean;
  reusedReturnReason?: string;
}

/**
 * Reads normalised text. The result is looked for with the return grounds left out — the sentences repeating a return
 * reason and the clauses using return-ground wording — so that `请向区住建委咨询` or the ticket's own return reason never
 * counts as the result (第十六条(三)).
 */
function read(text: string, returnReasons: readonly string[] = []): Reading {
  let reusedReturnReason: string | undefined;
  const kept: string[] = [];
  for (const sentence of sentences(text)) {
    const reason = reasonRepeatedIn(sentence, returnReasons);
    if (reason !== undefined) reusedReturnReason ??= reason;
    else kept.push(sentence.split(',').filter((clause) => matchesOf(clause, RETURN_WORDING).length === 0).join(','));
  }
  const result = concreteIn(kept.join('。')) ?? labelledResultIn(kept.join('。'));
  return {
    found: {
      contactTime: contactTimeIn(text),
      staff: staffIn(text),
      phone: matchesOf(text, PHONE)[0],
      process: matchesOf(text, PROCESS)[0] ?? labelled(text, PROCESS_LABEL)[0],
      result,
      feedback: matchesOf(text, FEEDBACK)[0] ?? labelled(text, FEEDBACK_LABEL)[0],
    },
    resultStated: labelled(text, RESULT_LABEL).length > 0,
    ...(reusedReturnReason !== undefined ? { reusedReturnReason } : {}),
  };
}

/** 第十六条(一): an instant as Asia/Shanghai wall time (fixed UTC+8): 2026年11月28日10时30分. */
function shanghaiWallTime(at: Date): string {
  const t = new Date(at.getTime() + 8 * HOUR);
  const minutes = String(t.getUTCMinutes()).padStart(2, '0');
  return `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日${t.getUTCHours()}时${minutes}分`;
}

/** A structured field as a sentence's content: trimmed, without closing punctuation; `undefined` when blank. */
function fieldValue(value: string | undefined): string | undefined {
  return isBlank(value) ? undefined : value!.trim().replace(/[\s。.;；,，、]+$/u, '');
}

/** The platform text and which elements it got from the structured fields. */
function compose(draft: ReplyDraft): { text: string; fromFields: Set<ReplyElement> } {
  const free = (draft.text ?? '').trim();
  const stated = read(normalise(free)).found;
  const fromFields = new Set<ReplyElement>();
  const added: string[] = [];
  const missing = <T>(element: ReplyElement, value: T | undefined): T | undefined => {
    if (stated[element] !== undefined || value === undefined) return undefined;
    fromFields.add(element);
    return value;
  };

  const at = draft.contactedAt !== undefined && !Number.isNaN(draft.contactedAt.getTime()) ? draft.contactedAt : undefined;
  const contactedAt = missing('contactTime', at);
  if (contactedAt) added.push(`联系时间：${shanghaiWallTime(contactedAt)}`);
  const staff = missing('staff', fieldValue(draft.staffName));
  const phone = missing('phone', fieldValue(draft.staffPhone));
  if (staff !== undefined || phone !== undefined)
    added.push([staff && `承办人员：${staff}`, phone && `联系电话：${phone}`].filter((s) => s !== undefined).join('，'));
  const process = missing('process', fieldValue(draft.process));
  if (process !== undefined) added.push(`处理过程：${process}`);
  const result = missing('result', fieldValue(draft.result));
  if (result !== undefined) added.push(`办理结果：${result}`);
  const feedback = missing('feedback', fieldValue(draft.reporterFeedback));
  if (feedback !== undefined) added.push(`群众反馈：${feedback}`);

  // 第二十八条(六): every demand is answered — the co-handling units' results follow the lead unit's own.
  for (const p of draft.partResults ?? []) added.push(`协办单位${p.unit}就“${p.demands.join('、')}”的办理结果：${p.result.replace(/[。.]+$/u, '')}`);
  const closed = free === '' || /[。！？!?；;…]$/u.test(free) ? free : `${free}。`;
  return { text: closed + added.map((s) => `${s}。`).join(''), fromFields };
}

/**
 * 第十六条(一) and the decision "what the platform receives": the exact text sent to the platform — the free text, then
 * for each element of (一) it does not state but the structured field has, one sentence in the order of (一):
 * `联系时间：2026年11月28日10时30分。`, `承办人员：李明，联系电话：022-23456789。`, `处理过程：…。`, `办理结果：…。`,
 * `群众反馈：…。`. Deterministic: the contact time is Asia/Shanghai wall time (UTC+8) written by hand.
 */
export function platformReplyText(draft: ReplyDraft): string {
  return compose(draft).text;
}

/** The analysis, and whether a result is stated under its label (`办理结果：…`), concrete or not. */
function examine(draft: ReplyDraft, context: ReplyContext): { analysis: ReplyAnalysis; resultStated: boolean } {
  const { text: platformText, fromFields } = compose(draft);
  const text = normalise(platformText);
  const reading = read(text, context.returnReasons);
  const elements = Object.fromEntries(
    (Object.entries(reading.found) as [ReplyElement, string | undefined][]).map(([element, evidence]) => [
      element,
      evidence === undefined ? { present: false } : fromFields.has(element) ? { present: true, from: 'field' } : { present: true, from: 'text', evidence },
    ]),
  ) as Record<ReplyElement, ElementFinding>;
  const analysis: ReplyAnalysis = {
    platformText,
    elements,
    concreteResult: elements.result.present,
    vague: matchesOf(text, VAGUE),
    returnWording: matchesOf(text, RETURN_WORDING),
    ...(reading.reusedReturnReason !== undefined ? { reusedReturnReason: reading.reusedReturnReason } : {}),
    closingPhrases: matchesOf(text, CLOSING),
    inProgress: matchesOf(text, IN_PROGRESS),
    transfers: matchesOf(text, TRANSFER),
    promises: matchesOf(text, PROMISE),
    templates: matchesOf(text, TEMPLATE),
  };
  return { analysis, resultStated: reading.resultStated };
}

/**
 * 第十六条: what the platform text of a reply (`platformReplyText`) contains — the six elements of (一), whether it states
 * a concrete result, and the phrases of (二)–(六) it uses. `context.returnReasons` (三) are left out of the result.
 */
export function analyseReply(draft: ReplyDraft, context: ReplyContext = {}): ReplyAnalysis {
  return examine(draft, context).analysis;
}

/** The topical terms of a complaint, best first: subjects of the hotlines, then its most frequent bigrams. */
function topicTerms(content: string, reporter: { name?: string | null } = {}): string[] {
  const name = reporter.name ? compact(reporter.name) : '';
  let text = normalise(content).replace(HONORIFIC, ',').replace(DATE, ',');
  if ([...name].length >= 2) text = text.split(name).join(',');
  // No digits or Latin letters at all: phone numbers, ID numbers, plates and house numbers go with them.
  text = text.replace(/[A-Za-z0-9]+/g, ',');

  // Longest subjects first; each found is cut out, and so are the generic words, so that no bigram straddles them.
  const terms: { term: string; at: number }[] = [];
  for (const term of [...TOPIC_TERMS].sort((a, b) => b.length - a.length)) {
    const at = text.indexOf(term);
    if (at === -1) continue;
    terms.push({ term, at });
    text = text.split(term).join(','.repeat(term.length));
  }
  for (const word of [...GENERIC_WORDS].sort((a, b) => b.length - a.length)) text = text.split(word).join(','.repeat(word.length));
  const counts = new Map<string, { n: number; at: number }>();
  let offset = 0;
  for (const run of text.split(/[^\u4e00-\u9fff]/)) {
    for (let i = 0; i + 1 < run.length; i++) {
      const g = run.slice(i, i + 2);
      if (FUNCTION_CHARS.test(g) || GENERIC.has(g)) continue;
      const seen = counts.get(g);
      counts.set(g, seen ? { n: seen.n + 1, at: seen.at } : { n: 1, at: offset + i });
    }
    offset += run.length + 1;
  }
  const ranked = [...counts].sort(([, x], [, y]) => y.n - x.n || x.at - y.at).map(([g]) => g);
  return [...terms.sort((x, y) => x.at - y.at).map((t) => t.term), ...ranked].filter((t) => name === '' || !(name.includes(t) || t.includes(name)));
}

/**
 * 第十六条(二) 文不对题 without the complaint text: a small set (≤ 12) of topical keywords of the complaint — subjects of
 * the hotlines (出租车, 拒载, 站牌 …) first, then its most frequent bigrams — free of personal data under
 * 《中华人民共和国个人信息保护法》第六条 (minimum necessary): no digits or Latin letters at all (phone, ID and plate
 * numbers), not the reporter's name, no name with an honorific (孙先生). The API computes them at dispatch and passes them
 * in the workflow input as `ReplyContext.complaintKeywords`.
 */
export function complaintKeywords(content: string, reporter: { name?: string | null; phone?: string | null } = {}): string[] {
  return topicTerms(content, reporter).slice(0, MAX_KEYWORDS);
}

/** 第十六条(二): the reply shares none of the complaint's topical bigrams (when those are enough to judge). */
function offTopic(reply: string, terms: readonly string[]): boolean {
  const wanted = new Set(terms.flatMap((term) => [...bigrams(term)].filter((g) => !GENERIC.has(g) && !/[\dA-Za-z]/.test(g))));
  if (wanted.size < MIN_TOPIC_BIGRAMS) return false;
  const said = bigrams(reply);
  for (const g of wanted) if (said.has(g)) return false;
  return true;
}

const ELEMENT_NAMES: Record<ReplyElement, string> = {
  contactTime: '与群众联系的具体时间',
  staff: '答复群众的具体工作人员',
  phone: '工作人员联系方式',
  process: '处理过程',
  result: '办理结果',
  feedback: '群众反馈情况',
};
const ELEMENT_FIELDS: Record<ReplyElement, string> = {
  contactTime: 'contactedAt',
  staff: 'staffName',
  phone: 'staffPhone',
  process: 'process',
  result: 'result',
  feedback: 'reporterFeedback',
};

function quote(phrases: string[]): string {
  return [...new Set(phrases)].map((p) => `“${p}”`).join('、');
}

/**
 * 第十六条 (一)–(六): whether a reply may close the ticket, judged on exactly the text the platform receives
 * (`platformReplyText`). Every violation at once, each naming its rule and article: (一) the six elements; (二) vague
 * result, off-topic reply (against `complaintText` and/or `complaintKeywords`); (三) a return reason as the result;
 * (四) 已告知/已解释相关政策, 已解决, 已联系 instead of a result; (五) 办理中 / 已转xx处理 / promises, or closing before
 * handling; (六) templates. For an anonymous reporter (第十九条(三)) the contact time and the feedback are not required.
 */
export function checkReply(draft: ReplyDraft, context: ReplyContext = {}): Verdict {
  const { analysis: a, resultStated } = examine(draft, context);
  const v: Violation[] = [];
  // 第十九条(三) lets an anonymous report go without a revisit because nobody can be asked: by the same token nobody can be
  // contacted or give feedback, so (一)'s contact time and reporter feedback are not demanded. Who answered, their number,
  // the process and the result still are: they tell the platform and the revisit what was done.
  const waived = new Set<ReplyElement>(context.reporterAnonymous ? ['contactTime', 'feedback'] : []);
  const complete = a.concreteResult && (Object.entries(a.elements) as [ReplyElement, ElementFinding][]).every(([e, f]) => f.present || waived.has(e));

  const usesReturnReason = !a.concreteResult && (a.reusedReturnReason !== undefined || a.returnWording.length > 0);
  const closesWithPhrase = !a.concreteResult && a.closingPhrases.length > 0;
  const transfers = !a.concreteResult && a.transfers.length > 0;
  const promises = !a.concreteResult && a.promises.length > 0;
  const isVague = !a.concreteResult && (a.vague.length > 0 || resultStated);
  const resultSubstitute = usesReturnReason || closesWithPhrase || transfers || promises || isVague || a.inProgress.length > 0;

  for (const [element, finding] of Object.entries(a.elements) as [ReplyElement, ElementFinding][]) {
    if (finding.present || waived.has(element) || (element === 'result' && resultSubstitute)) continue;
    v.push({ rule: `reply.missing.${element}`, article: '第十六条(一)', reason: `答复内容应体现${ELEMENT_NAMES[element]}。`, field: ELEMENT_FIELDS[element] });
  }
  if (isVague && !usesReturnReason && !closesWithPhrase && !transfers && !promises && a.inProgress.length === 0)
    v.push({
      rule: 'reply.vague-result',
      article: '第十六条(二)',
      reason: `办理结果模糊不清${a.vague.length > 0 ? `（${quote(a.vague)}）` : ''}，应写明具体办理结果。`,
      field: 'result',
    });
  const topic = [...(context.complaintKeywords ?? []), ...(context.complaintText !== undefined ? topicTerms(context.complaintText) : [])];
  if (!isBlank(a.platformText) && offTopic(a.platformText, topic))
    v.push({ rule: 'reply.off-topic', article: '第十六条(二)', reason: '答复内容与群众反映的问题不对应（文不对题）。', field: 'text' });
  if (usesReturnReason)
    v.push({
      rule: 'reply.return-reason-as-result',
      article: '第十六条(三)',
      reason: `不得以退回理由作为办理结果${a.reusedReturnReason !== undefined ? '（答复与退单理由相同）' : `（${quote(a.returnWording)}）`}。`,
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
