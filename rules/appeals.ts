/**
 * Appeals (申诉) against an unsatisfied rating, 第二十七条–第二十八条: who may appeal, and the seven cases that may not be
 * appealed. The appeal package's monthly deadline is in `./monthly` (it needs the calendar).
 *
 * Pure; imports no calendar.
 */
import type { TicketFacts } from './facts';
import { normalise } from './text';
import { verdict, type Verdict, type Violation } from './types';

/** 第二十八条(二): wording about staff attitude. */
const STAFF_ATTITUDE = /态度(?:差|恶劣|不好|生硬|蛮横|粗暴|冷漠|不端正)|服务态度|语气(?:差|冲|不好|生硬)|不耐烦|推诿敷衍|爱答不理/;
/** 第二十八条(五): the reply sends the reporter to court or other legal channels. */
const LEGAL_ROUTE =
  /(?:建议|请|可)(?:其|反映人|来电人|您)?(?:自行)?(?:通过|走)?(?:法律途径|司法途径|诉讼|法律程序|仲裁)|(?:向|到)(?:人民)?法院(?:提起诉讼|起诉)|提起(?:民事)?诉讼/;

/** What the appeal check reads. */
export type AppealFacts = Pick<
  TicketFacts,
  'channel' | 'satisfaction' | 'contacts' | 'closedAt' | 'assessment' | 'content' | 'reply' | 'relatedReports' | 'revisits'
>;

/**
 * 第二十七条–第二十八条: whether a unit may appeal a ticket's unsatisfied rating on `appealAt`. Premises (第二十七条): a
 * 12345 ticket rated unsatisfied, the demand unreasonable, the unit fully did its duty. Exclusions (第二十八条(一)–(七)):
 * closed without reaching the reporter; about staff attitude; solved for now but recurred; closed before fully solved and
 * still not done on the appeal date; sent to court without coordinating; lead unit handled only its own demand; outside
 * the hotline centre's appeal scope. Every violation at once.
 */
export function checkAppeal(facts: AppealFacts, appealAt: Date): Verdict {
  const v: Violation[] = [];
  const a = facts.assessment;
  if (facts.channel !== '12345')
    v.push({ rule: 'appeal.channel', article: '第二十八条', reason: '申诉仅适用于12345热线不满意工单。', field: 'channel' });
  if (facts.satisfaction !== 'unsatisfied')
    v.push({ rule: 'appeal.not-unsatisfied', article: '第二十七条', reason: '仅可对不满意工单提出申诉。', field: 'satisfaction' });
  if (!a.demandUnreasonable)
    v.push({ rule: 'appeal.demand-not-unreasonable', article: '第二十七条', reason: '仅群众因不合理诉求未得到满足而不满意的工单可以申诉。', field: 'assessment.demandUnreasonable' });
  if (!a.dutyFulfilled)
    v.push({ rule: 'appeal.duty-not-fulfilled', article: '第二十七条', reason: '须判定办理过程中确已履职尽责、向群众做好“解决”“解释”工作。', field: 'assessment.dutyFulfilled' });

  const closedAt = facts.closedAt ?? facts.reply?.repliedAt;
  const reached = facts.contacts.some((c) => c.reached && (closedAt === undefined || c.at.getTime() <= closedAt.getTime()));
  if (!reached)
    v.push({ rule: 'appeal.excluded.not-contacted', article: '第二十八条(一)', reason: '未联系到群众直接办结、群众对办理结果不满意的工单，不得申诉。' });

  const complaint = normalise([facts.content, ...facts.revisits.map((r) => r.reason ?? '')].join('。'));
  if (a.aboutStaffAttitude || STAFF_ATTITUDE.test(complaint))
    v.push({ rule: 'appeal.excluded.staff-attitude', article: '第二十八条(二)', reason: '群众反映的诉求涉及工作人员态度问题的，不得申诉。' });

  const recurredLater =
    closedAt !== undefined && facts.relatedReports.some((r) => r.sameProblem && r.at.getTime() > closedAt.getTime() && r.at.getTime() <= appealAt.getTime());
  if (a.recurred || recurredLater)
    v.push({ rule: 'appeal.excluded.recurred', article: '第二十八条(三)', reason: '群众反映的诉求暂时解决但后续出现回潮现象的，不得申诉。' });

  const doneByAppeal = a.completedAt !== undefined && a.completedAt.getTime() <= appealAt.getTime();
  if (a.completeAtClosure === false && !doneByAppeal)
    v.push({
      rule: 'appeal.excluded.unfinished',
      article: '第二十八条(四)',
      reason: '诉求未完全解决即办结，至申诉之日该事项仍未处理完成的，不得申诉。',
    });

  const replyText = normalise([facts.reply?.text, facts.reply?.result].filter((s) => s !== undefined).join('。'));
  if ((a.advisedLegalRoute || LEGAL_ROUTE.test(replyText)) && !a.coordinated)
    v.push({
      rule: 'appeal.excluded.legal-route',
      article: '第二十八条(五)',
      reason: '对职责范围内事项未履行协调义务、直接建议群众通过法律途径解决的，不得申诉。',
    });

  if ((a.demandsWithinCommission ?? 0) >= 2 && a.allDemandsHandled === false)
    v.push({
      rule: 'appeal.excluded.lead-unit',
      article: '第二十八条(六)',
      reason: '群众多项诉求均在我委职责范围内，牵头承办单位仅办理本单位事项、未联系其它单位解决全部诉求即办结的，不得申诉。',
    });

  if (a.inAppealScope === false)
    v.push({
      rule: 'appeal.excluded.out-of-scope',
      article: '第二十八条(七)',
      reason: '不在市便民专线服务中心满意度测评办法及不满意工单申诉规范的申诉范围内，不得申诉。',
    });
  return verdict(v);
}
