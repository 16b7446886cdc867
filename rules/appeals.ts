/**
 * Appeals (申诉) against an unsatisfied rating, 第二十七条–第二十八条: who may appeal, within which window, and the seven
 * cases that may not be appealed — each judged on the ticket's own record (the closure, the platform's rating and the
 * reporter's words, the revisits, the re-handling rounds, the co-handling parts, the reply). The appeal package's monthly
 * deadline is in `./monthly` (it needs the calendar); the package itself is workflows/appeal-package.ts.
 *
 * Pure; imports no calendar.
 */
import type { TicketFacts } from './facts';
import type { PartStatus } from './parts';
import { normalise, sentences } from './text';
import { previousMonth, shanghaiDate, toSecond } from './time';
import { verdict, type Verdict, type Violation } from './types';

// ---------------------------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------------------------

/** A clause may hold a negation just before a phrase: "没有不耐烦", "不是态度问题", "未再次出现". */
const NEGATED = /(?:没有|并没有|没|不是|并非|而非|从不|从未|毫无|不存在|不涉及|谈不上|不算|未|无)(?:任何|什么|再)?$/;

/** 第二十八条(二): ways of saying how someone behaved towards the reporter. */
const ATTITUDE = '(?:服务态度|工作态度|办事态度|态度|语气|口气)';
/** Degree words between the attitude and its judgement ("态度也很差", "语气非常生硬"). */
const DEGREE = '(?:也|还|就|都|很|非常|特别|极其|极|十分|太|过于|比较|有点|有些|真|实在|相当|挺|更|如此|那么|这么|简直|上|方面)*';
/** A bad judgement of an attitude ("差" but not "差不多", "冲" but not "冲突"). */
const BAD = '(?:差(?!不多)|不好|不佳|恶劣|生硬|蛮横|粗暴|冷漠|冷淡|傲慢|敷衍|不端正|不认真|不友好|不耐烦|不礼貌|不客气|冲(?!突)|凶|强硬|有问题|成问题|不行)';
/**
 * 第二十八条(二): a complaint of bad attitude: an attitude judged bad ("服务态度恶劣"), dissatisfaction with an attitude
 * ("对工作人员的态度不满意", "不满工作人员的态度"), an "attitude problem", or behaviour that is bad in itself ("不耐烦",
 * "爱答不理"). Praise ("服务态度很好", "态度不错", "态度不差") is none of these.
 */
const BAD_ATTITUDE = new RegExp(
  [
    `${ATTITUDE}${DEGREE}${BAD}`,
    `对[^,;。!?]{0,15}?${ATTITUDE}[^,;。!?]{0,4}?不满`,
    `不满意?(?:(?!不是|并非|而非)[^,;。!?]){0,10}?${ATTITUDE}(?!${DEGREE}(?:好|不错|热情|诚恳|友好|耐心|端正|和蔼|可以|还行))`,
    `${ATTITUDE}问题(?!无关|不大)`,
    '不耐烦|爱答不理|爱理不理|冷言冷语|恶语相向|出言不逊|辱骂|骂人|训斥|呵斥|摆架子|甩脸色|没礼貌|不礼貌',
  ].join('|'),
  'g',
);
/** 第二十八条(二) 工作人员: who is meant — the handling staff (工作人员) … */
const STAFF = /工作人员|接线员|话务员|客服|窗口|执法人员|执法队员|稽查人员|办事人员|经办人|承办人|公务员|干部|民警|交警|协管员|管理人员|回访人员|你们|贵单位|你单位|接电话的人|打电话的人|来电的人|联系我的人|单位的人/g;
/** … or someone else the reporter complains of (a driver, a shop), whose attitude is not the staff's. */
const THIRD_PARTY = /司机|驾驶员|师傅|的哥|乘务员|售票员|安检员|保安|车主|船主|商户|商家|老板|店员|物业|邻居|乘客|教练|公司|企业/g;

/** The end of the last match of `pattern` (global) in `text`, or -1. */
function lastEnd(text: string, pattern: RegExp): number {
  let end = -1;
  for (const m of text.matchAll(pattern)) end = Math.max(end, m.index + m[0].length);
  return end;
}

/**
 * 第二十八条(二): whether `text` complains of the staff's attitude. Each complaint of bad attitude not negated in its clause
 * counts unless the person last named before it in the sentence is someone other than the staff (a driver's attitude is
 * not the staff's); with nobody named, the staff are meant (the reporter's words on the handling are about who handled).
 */
function complainsOfStaffAttitude(text: string): boolean {
  for (const sentence of sentences(normalise(text))) {
    for (const m of sentence.matchAll(BAD_ATTITUDE)) {
      const before = sentence.slice(0, m.index);
      const clause = before.slice(before.lastIndexOf(',') + 1);
      if (NEGATED.test(clause)) continue;
      const upTo = sentence.slice(0, m.index + m[0].length);
      if (lastEnd(upTo, THIRD_PARTY) > lastEnd(upTo, STAFF)) continue;
      return true;
    }
  }
  return false;
}

/** 第二十八条(三): the problem came back after it was solved for the time being (回潮). */
const RECURRED = /回潮|反弹|复发|死灰复燃|卷土重来|故态复萌|再次出现|又出现|重新出现|再度出现|再次发生|又发生|又开始|又恢复|恢复原状|又回到/g;
/** 第二十八条(四): the reply says the handling goes on after the closure. */
const IN_PROGRESS =
  /正在(?:办理|处理|协调|核实|调查|整改|施工|维修|研究|推进)|仍在(?:办理|处理|协调|整改|施工|维修)|尚未(?:完成|解决|办结|处理|落实|整改)|(?:将于|计划于|预计于?|拟于)[^。;]{0,15}?(?:完成|解决|处理|整改|修复|维修|落实)|后续将|下一步将|择期(?:处理|解决|安排)|列入[^。;]{0,8}计划/g;
/** 第二十八条(五): the reply sends the reporter to court or other legal channels. */
const LEGAL_ROUTE =
  /(?:建议|请|可)(?:其|反映人|来电人|您)?(?:自行)?(?:通过|走)?(?:法律途径|司法途径|诉讼|法律程序|仲裁)|(?:向|到)(?:人民)?法院(?:提起诉讼|起诉)|提起(?:民事)?诉讼/;

/** Whether `pattern` (global) occurs in `text` at least once without a negation just before it in its clause. */
function saysAffirmatively(text: string, pattern: RegExp): boolean {
  const t = normalise(text);
  for (const m of t.matchAll(pattern)) {
    const before = t.slice(0, m.index);
    const clause = before.slice(Math.max(before.lastIndexOf(','), before.lastIndexOf('。'), before.lastIndexOf(';')) + 1);
    if (!NEGATED.test(clause)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// The check
// ---------------------------------------------------------------------------------------------------------------

/**
 * What the appeal check reads (第二十七条–第二十八条): the ticket's facts, plus what its record says of the closure, the
 * rating appealed, the re-handling rounds and the co-handling parts. `assessment.demandUnreasonable` and
 * `assessment.dutyFulfilled` are the unit's statement in its appeal (第二十七条), unless a revisit found otherwise;
 * `assessment.completedAt` is when the unit says the matter was finished, if after the closure (第二十八条(四)).
 */
export type AppealFacts = Pick<TicketFacts, 'channel' | 'satisfaction' | 'contacts' | 'closedAt' | 'assessment' | 'content' | 'reply' | 'relatedReports' | 'revisits'> &
  Partial<Pick<TicketFacts, 'ratings' | 'events'>> & {
    /** When the rating appealed (the latest) was given. */
    ratedAt?: Date;
    /** 第二十八条(一): the closure's record — closed without the reporter ever reached. Read from `contacts` when absent. */
    closedWithoutContact?: boolean;
    /** 第二十八条(三): each re-handling round after a reopen (第十七条、第二十一条), with the items it re-handled. */
    reopens?: readonly { at: Date; reasons: readonly string[] }[];
    /** 第二十八条(六): the co-handling units' parts (第九条) as the ticket closed with them. */
    parts?: readonly { unitId: string; status: PartStatus }[];
  };

const at = (d: Date) => d.getTime();
const monthOf = (d: Date) => shanghaiDate(d).slice(0, 7);

/**
 * 第二十七条–第二十八条: whether a unit may appeal a ticket's unsatisfied rating on `appealAt`; every violation at once,
 * each with its reason and article.
 *
 * Premises: a 12345 ticket (第二十八条), closed and not reopened since, whose latest rating — given after that closure —
 * is 不满意 (第二十七条); the rating is this month's or last month's, the appeal joining this month's package, due by the
 * 6th of next month (第二十八条 上月…申诉材料, spec decision); the demand unreasonable and the unit's duty done (第二十七条,
 * the unit's statement unless a revisit found otherwise).
 *
 * Exclusions (第二十八条(一)–(七)), on the record: (一) closed without reaching the reporter; (二) the complaint or the
 * reporter's dissatisfaction (the rating's words, a revisit's verified reason) is about the staff's bad attitude — praise
 * of the attitude is not; (三) the problem came back after the closure (a re-handling round for a recurrence, or the
 * same problem reported again); (四) the reply closed a matter still being handled, not finished by the appeal date;
 * (五) the reply sent the reporter to court without coordinating; (六) a co-handling unit's part was never submitted
 * (the lead unit handled only its own demands); (七) outside the hotline centre's appeal scope.
 */
export function checkAppeal(facts: AppealFacts, appealAt: Date): Verdict {
  const v: Violation[] = [];
  const a = facts.assessment;
  const closedAt = facts.closedAt;
  const events = facts.events ?? [];
  // ---- premises ----
  if (facts.channel !== '12345')
    v.push({ rule: 'appeal.channel', article: '第二十八条', reason: '申诉仅适用于12345热线不满意工单。', field: 'channel' });
  const reopenedSince = closedAt !== undefined && events.some((e) => e.type === 'reopened' && at(e.at) > at(closedAt));
  if (closedAt === undefined || reopenedSince)
    v.push({ rule: 'appeal.not-closed', article: '第二十七条', reason: '工单尚未办结（或已派回重新办理），不能对其评价提出申诉。', field: 'ticketNo' });
  if (facts.satisfaction !== 'unsatisfied')
    v.push({ rule: 'appeal.not-unsatisfied', article: '第二十七条', reason: '仅可对评价为“不满意”的工单提出申诉。', field: 'satisfaction' });
  else if (closedAt !== undefined && facts.ratedAt !== undefined && toSecond(facts.ratedAt) < toSecond(closedAt))
    v.push({ rule: 'appeal.rating-before-closure', article: '第二十七条', reason: '该“不满意”评价针对此前的办结；重新办结后尚无新的评价。', field: 'satisfaction' });
  if (facts.satisfaction === 'unsatisfied' && facts.ratedAt !== undefined) {
    const month = monthOf(appealAt);
    const rated = monthOf(facts.ratedAt);
    if (rated !== month && rated !== previousMonth(month))
      v.push({
        rule: 'appeal.window',
        article: '第二十八条',
        reason: `申诉纳入本月（${month}）申诉材料，于下月6日前（遇节假日顺延）报送，仅限本月及上月的不满意工单；本工单的评价在${rated}，已过申诉期限。`,
        field: 'ticketNo',
      });
  }
  if (!a.demandUnreasonable)
    v.push({ rule: 'appeal.demand-not-unreasonable', article: '第二十七条', reason: '仅群众因不合理诉求未得到满足而不满意的工单可以申诉。', field: 'assessment.demandUnreasonable' });
  if (!a.dutyFulfilled)
    v.push({ rule: 'appeal.duty-not-fulfilled', article: '第二十七条', reason: '须判定办理过程中确已履职尽责、向群众做好“解决”“解释”工作。', field: 'assessment.dutyFulfilled' });

  // ---- (一) closed without reaching the reporter ----
  const reached =
    facts.closedWithoutContact !== undefined
      ? !facts.closedWithoutContact
      : facts.contacts.some((c) => c.reached && (closedAt === undefined || at(c.at) <= at(closedAt)));
  if (closedAt !== undefined && !reached)
    v.push({ rule: 'appeal.excluded.not-contacted', article: '第二十八条(一)', reason: '未联系到群众直接办结、群众对办理结果不满意的工单，不得申诉。' });

  // ---- (二) the complaint or the dissatisfaction is about the staff's attitude ----
  const since = (d: Date) => closedAt === undefined || toSecond(d) >= toSecond(closedAt);
  const dissatisfaction = [
    facts.content,
    ...(facts.ratings ?? []).filter((r) => r.satisfaction === 'unsatisfied' && since(r.at)).map((r) => r.words),
    ...facts.revisits.filter((r) => r.satisfaction === 'unsatisfied' && since(r.at)).map((r) => r.reason ?? ''),
  ];
  if (a.aboutStaffAttitude || dissatisfaction.some(complainsOfStaffAttitude))
    v.push({ rule: 'appeal.excluded.staff-attitude', article: '第二十八条(二)', reason: '群众反映的诉求涉及工作人员态度问题的，不得申诉。' });

  // ---- (三) solved for the time being, then the problem came back ----
  const reHandledForRecurrence = (facts.reopens ?? []).some((r) => r.reasons.some((reason) => saysAffirmatively(reason, RECURRED)));
  const reportedAgain =
    closedAt !== undefined && facts.relatedReports.some((r) => r.sameProblem && at(r.at) > at(closedAt) && at(r.at) <= at(appealAt));
  if (a.recurred || reHandledForRecurrence || reportedAgain)
    v.push({ rule: 'appeal.excluded.recurred', article: '第二十八条(三)', reason: '群众反映的诉求暂时解决但后续出现回潮现象的，不得申诉。' });

  // ---- (四) closed before fully solved, still not done on the appeal date ----
  const replyText = [facts.reply?.text, facts.reply?.result].filter((s): s is string => s !== undefined).join('。');
  const unfinishedAtClosure = a.completeAtClosure === false || saysAffirmatively(replyText, IN_PROGRESS);
  const doneByAppeal = a.completedAt !== undefined && at(a.completedAt) <= at(appealAt);
  if (unfinishedAtClosure && !doneByAppeal)
    v.push({
      rule: 'appeal.excluded.unfinished',
      article: '第二十八条(四)',
      reason: '诉求未完全解决即办结，至申诉之日该事项仍未处理完成的，不得申诉。',
    });

  // ---- (五) sent to court without coordinating ----
  if ((a.advisedLegalRoute || LEGAL_ROUTE.test(normalise(replyText))) && !a.coordinated)
    v.push({
      rule: 'appeal.excluded.legal-route',
      article: '第二十八条(五)',
      reason: '对职责范围内事项未履行协调义务、直接建议群众通过法律途径解决的，不得申诉。',
    });

  // ---- (六) the lead unit handled only its own demands ----
  const openParts = (facts.parts ?? []).filter((p) => p.status !== 'submitted').map((p) => p.unitId);
  if (openParts.length > 0 || ((a.demandsWithinCommission ?? 0) >= 2 && a.allDemandsHandled === false))
    v.push({
      rule: 'appeal.excluded.lead-unit',
      article: '第二十八条(六)',
      reason: `群众多项诉求均在我委职责范围内，牵头承办单位仅办理本单位事项、未联系其它单位解决全部诉求即办结的，不得申诉${openParts.length > 0 ? `（未办结的协办事项：${openParts.join('、')}）` : ''}。`,
    });

  // ---- (七) outside the hotline centre's appeal scope ----
  if (a.inAppealScope === false)
    v.push({
      rule: 'appeal.excluded.out-of-scope',
      article: '第二十八条(七)',
      reason: '不在市便民专线服务中心满意度测评办法及不满意工单申诉规范的申诉范围内，不得申诉。',
    });
  return verdict(v);
}
