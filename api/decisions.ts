/**
 * Every decision of the ticket lifecycle as an HTTP endpoint under `/api/v1/tickets/:ticketNo/…`: the role each needs,
 * the body (validated once with zod), and the workflow Update (or Signal) it becomes. The acting user and unit come
 * from the token, never from the body.
 */
import { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/common';
import { SERVICE_DIVISION_UNIT } from '../rules/lifecycle';
import { RETURN_GROUNDS } from '../rules/types';
import * as m from '../workflows/messages';
import type { Principal, Role } from './auth';
import { instant } from './schemas';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();
const id = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, ".", "-" or "_"');
const sealedReport = z.object({ documentRef: text(100), sealed: z.boolean(), submittedTo: text(64) }).strict();

/** 委政务服务处 or the unit's own acceptance department (第十七条, 第二十一条). */
const orderedByOf = (p: Principal) => (p.unitId === SERVICE_DIVISION_UNIT ? 'service-division' : 'unit') as 'service-division' | 'unit';

export interface Decision<B extends z.ZodType, C> {
  /** Path below `/api/v1/tickets/:ticketNo/`. */
  path: string;
  /** Who may take it. */
  roles: Role[];
  /** What it is, for the OpenAPI document. */
  summary: string;
  body: B;
  update: UpdateDefinition<m.DecisionResult | m.CaseResult, [C]>;
  command: (body: z.infer<B>, p: Principal) => C;
  /** `open-case`: the decision goes to the ticket's open supervision case (its own workflow), not to the ticket. */
  target?: 'open-case';
  /**
   * The units and handling departments the body names: the service refuses an unknown one (400) before any Update
   * is sent, so the workflow never admits a step its activities could not write.
   */
  references?: (body: z.infer<B>) => { units?: string[]; departments?: string[] };
}

function decision<B extends z.ZodType, C>(d: Decision<B, C>): Decision<B, C> {
  return d;
}

const actor = (p: Principal) => ({ by: p.userId, unitId: p.unitId });

/** 第十一条: a contact with the reporter, by the lead unit or by a co-handling unit on its part. */
const contactBody = z
  .object({ at: instant, staffName: text(50), method: z.enum(['phone', 'in-person', 'sms', 'other']), reached: z.boolean(), outcome: text(2000), recordingRef: optionalText(200) })
  .strict();
const contactCommand = (b: z.infer<typeof contactBody>, p: Principal): m.ContactCommand => ({
  ...actor(p),
  at: new Date(b.at).toISOString(),
  staffName: b.staffName,
  method: b.method,
  reached: b.reached,
  outcome: b.outcome,
  ...(b.recordingRef ? { recordingRef: b.recordingRef } : {}),
});

export const DECISIONS = [
  decision({
    path: 'accept',
    roles: ['acceptor'],
    summary: '接单 (第八条(一)): the unit the ticket was dispatched to accepts it',
    body: z.object({}).strict(),
    update: m.acceptUpdate,
    command: (_b, p) => ({ unitId: p.unitId, acceptedBy: p.userId }),
  }),
  decision({
    path: 'assign',
    roles: ['acceptor'],
    summary: '派发至办理部门 (第八条); several departments make a co-handled ticket (第九条)',
    body: z.object({ departmentIds: z.array(id).min(1).max(20) }).strict(),
    update: m.assignUpdate,
    command: (b, p) => ({ ...actor(p), departmentIds: b.departmentIds }),
    references: (b) => ({ departments: b.departmentIds }),
  }),
  decision({
    path: 'contacts',
    roles: ['handler'],
    summary: '联系反映人 (第十一条): a contact or contact attempt',
    body: contactBody,
    update: m.contactUpdate,
    command: contactCommand,
  }),
  decision({
    path: 'opinions',
    roles: ['handler'],
    summary: '部门意见 (第九条): one department’s opinion on a co-handled ticket',
    body: z.object({ departmentId: id, opinion: text(5000) }).strict(),
    update: m.opinionUpdate,
    command: (b, p) => ({ ...actor(p), ...b }),
    references: (b) => ({ departments: [b.departmentId] }),
  }),
  decision({
    path: 'return',
    roles: ['acceptor'],
    summary: '退单 (第八条(三)(四), 第十三条)',
    body: z
      .object({
        ground: z.enum(RETURN_GROUNDS),
        evidence: z
          .object({
            reasons: optionalText(5000),
            basis: optionalText(2000),
            proposedTransferee: optionalText(200),
            itemsToVerify: z.array(text(500)).max(50).optional(),
            previousTickets: z.array(z.object({ ticketNo: text(64), result: text(5000) }).strict()).max(50).optional(),
            knowledgeBaseEntry: z.object({ id: text(100), title: optionalText(200) }).strict().optional(),
            documentNumbers: z.array(text(200)).max(50).optional(),
          })
          .strict(),
        lateJustification: z.object({ text: text(5000) }).strict().optional(),
        citesDifficulty: z.boolean().optional(),
        citesNeedForOtherUnitHelp: z.boolean().optional(),
        reporterContactedAt: instant.optional(),
        officeConsultedAt: instant.optional(),
        inspectionConsentAt: instant.optional(),
        duty: z.enum(['own', 'partial', 'not-own', 'unknown']).optional(),
        ownPartCompleted: z.boolean().optional(),
        reporterRaisedNewDemand: z.boolean().optional(),
      })
      .strict(),
    update: m.returnUpdate,
    command: (b, p) => ({ ...actor(p), ...(b as Omit<m.ReturnCommand, 'by' | 'unitId'>) }),
  }),
  decision({
    path: 'return/late-approval',
    roles: ['supervisor'],
    summary: '逾期退单审批 by 委政务服务处 (第八条(三)1): allows a not-our-duty return after the 24-hour window',
    body: z.object({ note: text(2000) }).strict(),
    update: m.approveLateReturnUpdate,
    command: (b, p) => ({ ...actor(p), note: b.note }),
  }),
  decision({
    path: 'redispatch',
    roles: ['dispatcher'],
    summary: 'The platform sends a returned ticket again (new acceptance round)',
    body: z.object({ unitId: id, dispatchedToUnitAt: instant, note: text(2000), notReturnable: z.boolean().optional() }).strict(),
    update: m.redispatchUpdate,
    command: (b, p) => ({ by: p.userId, unitId: b.unitId, dispatchedToUnitAt: new Date(b.dispatchedToUnitAt).toISOString(), note: b.note, ...(b.notReturnable !== undefined ? { notReturnable: b.notReturnable } : {}) }),
    references: (b) => ({ units: [b.unitId] }),
  }),
  decision({
    path: 'withdraw',
    roles: ['dispatcher'],
    summary: 'The platform takes a returned ticket away from the Commission',
    body: z.object({ note: text(2000) }).strict(),
    update: m.withdrawUpdate,
    command: (b, p) => ({ by: p.userId, note: b.note }),
  }),
  decision({
    path: 'extension',
    roles: ['handler'],
    summary: '延期申请 (第十四条)',
    body: z
      .object({
        requestedDueAt: instant,
        reason: text(5000),
        reporterConsent: z.boolean(),
        reporterContactedAt: instant,
        reporterOpinion: text(2000),
        legalBasis: optionalText(2000),
        causedByUnit: z.boolean().optional(),
      })
      .strict(),
    update: m.requestExtensionUpdate,
    command: (b, p) => ({ ...actor(p), ...b, requestedDueAt: new Date(b.requestedDueAt).toISOString(), reporterContactedAt: new Date(b.reporterContactedAt).toISOString() }),
  }),
  decision({
    path: 'extension/decision',
    roles: ['supervisor'],
    summary: '延期审批 by 委政务服务处 (第十四条)',
    body: z.object({ approved: z.boolean(), note: text(2000) }).strict(),
    update: m.decideExtensionUpdate,
    command: (b, p) => ({ ...actor(p), ...b }),
  }),
  decision({
    path: 'flag',
    roles: ['acceptor', 'handler', 'leader', 'supervisor'],
    summary: '舆情 / 敏感标记 (第八条(二)): notifies the unit’s leader and 委政务服务处',
    body: z
      .object({
        sensitive: z.boolean().optional(),
        emergency: z.boolean().optional(),
        majorPublicOpinion: z.boolean().optional(),
        majorSafetyHazard: z.boolean().optional(),
        managementMisconduct: z.boolean().optional(),
        note: text(2000),
      })
      .strict(),
    update: m.flagUpdate,
    command: (b, p) => ({ ...actor(p), ...b }),
  }),
  decision({
    path: 'mediation',
    roles: ['handler'],
    summary: '行政调解 (第十二条): mark the ticket, or record the outcome',
    body: z.object({ outcome: optionalText(5000) }).strict(),
    update: m.mediationUpdate,
    command: (b, p) => ({ ...actor(p), ...(b.outcome !== undefined ? { outcome: b.outcome } : {}) }),
  }),
  decision({
    path: 'reply',
    roles: ['handler'],
    summary: '答复起草 (第十六条): checked against all six rules',
    body: z
      .object({
        text: text(10000),
        contactedAt: instant.optional(),
        staffName: optionalText(50),
        staffPhone: optionalText(30),
        process: optionalText(5000),
        result: optionalText(5000),
        reporterFeedback: optionalText(2000),
        sealedReport: sealedReport.optional(),
        /** 第二十一条: after a reopen, the answer to each item to re-handle. */
        itemAnswers: z.array(text(5000)).max(50).optional(),
        /** 第十九条: the unit's statement of the handling, verified at revisit. */
        assessment: z
          .object({ dissatisfiedWithPolicy: z.boolean(), policyExplained: z.boolean(), demandUnreasonable: z.boolean(), reporterAskedAuthority: z.boolean(), answeredByCompany: z.boolean() })
          .partial()
          .strict()
          .optional(),
      })
      .strict(),
    update: m.draftReplyUpdate,
    command: (b, p) => ({ ...actor(p), ...b, ...(b.contactedAt ? { contactedAt: new Date(b.contactedAt).toISOString() } : {}) }),
  }),
  decision({
    path: 'reply/review',
    roles: ['reviewer'],
    summary: '答复审核 (第十六条 谁办复、谁审核): approval sends the reply to the platform',
    body: z.object({ approved: z.boolean(), note: optionalText(2000) }).strict(),
    update: m.reviewReplyUpdate,
    command: (b, p) => ({ ...actor(p), ...b }),
  }),
  decision({
    path: 'revisits',
    roles: ['revisitor'],
    summary: '回访结果 (第十七条–第二十条)',
    body: z
      .object({
        satisfaction: z.enum(['satisfied', 'basically-satisfied', 'unsatisfied']),
        reporterSaysNotContacted: z.boolean().optional(),
        reporterSaysNotSolved: z.boolean().optional(),
        newQuestions: z.boolean().optional(),
        note: text(5000),
      })
      .strict(),
    update: m.revisitUpdate,
    command: (b, p) => ({ ...actor(p), orderedBy: orderedByOf(p), ...b }),
  }),
  decision({
    path: 'reopen',
    roles: ['revisitor', 'supervisor'],
    summary: '派回重新办理 (第十七条, 第十八条)',
    body: z.object({ reasons: z.array(text(2000)).min(1).max(50) }).strict(),
    update: m.reopenUpdate,
    command: (b, p) => ({ ...actor(p), orderedBy: orderedByOf(p), reasons: b.reasons }),
  }),
  decision({
    path: 'supervision',
    roles: ['supervisor'],
    summary: '督办 (第二十二条(五)(六))',
    body: z.object({ trigger: z.enum(['management-misconduct', 'other']), note: text(5000) }).strict(),
    update: m.superviseUpdate,
    command: (b, p) => ({ ...actor(p), ...b }),
  }),
  decision({
    path: 'supervision/answer',
    roles: ['leader'],
    summary: '督办答复 with the sealed report (第二十三条); for an escalated case (第二十二条(五)) the unit leader answers and 委政务服务处 approves',
    body: z.object({ report: sealedReport, text: text(10000) }).strict(),
    update: m.caseAnswerUpdate,
    command: (b, p) => ({ ...actor(p), ...b }),
    target: 'open-case',
  }),
  decision({
    path: 'supervision/approval',
    roles: ['supervisor'],
    summary: '提级办理 approval by 委政务服务处 (spec decision, 第二十二条(五)): approves the answer (the case closes) or sends it back',
    body: z.object({ approved: z.boolean(), note: text(2000) }).strict(),
    update: m.caseApprovalUpdate,
    command: (b, p) => ({ ...actor(p), ...b }),
    target: 'open-case',
  }),
  decision({
    path: 'urge',
    roles: ['supervisor'],
    summary: '催办 by 委政务服务处 (第二十二条(一)): recorded, notifies the unit, counts as the reminder',
    body: z.object({ note: text(2000) }).strict(),
    update: m.urgeUpdate,
    command: (b, p) => ({ ...actor(p), note: b.note }),
  }),
  decision({
    path: 'rating',
    roles: ['dispatcher'],
    summary: 'The platform’s satisfaction rating of a closed ticket (spec decision "satisfaction"); idempotent on ratingId',
    body: z
      .object({ ratingId: id, satisfaction: z.enum(['satisfied', 'basically-satisfied', 'unsatisfied']), words: z.string().trim().max(5000), ratedAt: instant })
      .strict(),
    update: m.ratingUpdate,
    command: (b, p) => ({ by: p.userId, ratingId: b.ratingId, satisfaction: b.satisfaction, words: b.words, ratedAt: new Date(b.ratedAt).toISOString() }),
  }),
  decision({
    path: 'parts',
    roles: ['supervisor'],
    summary: '协办 (第九条, 第二十八条(六)): 委政务服务处 adds a co-handling unit with the demands it owns',
    body: z.object({ unitId: id, demands: z.array(text(500)).min(1).max(20) }).strict(),
    update: m.addPartUpdate,
    command: (b, p) => ({ ...actor(p), partUnitId: b.unitId, demands: b.demands }),
    references: (b) => ({ units: [b.unitId] }),
  }),
  decision({
    path: 'help-requests',
    roles: ['acceptor'],
    summary: '申请协办 (第八条(四)1): the lead unit asks for another unit’s help instead of returning the ticket',
    body: z.object({ unitId: id, demands: z.array(text(500)).min(1).max(20), reason: text(2000) }).strict(),
    update: m.helpRequestUpdate,
    command: (b, p) => ({ ...actor(p), partUnitId: b.unitId, demands: b.demands, reason: b.reason }),
    references: (b) => ({ units: [b.unitId] }),
  }),
  decision({
    path: 'help-requests/decision',
    roles: ['supervisor'],
    summary: '协办申请审批 by 委政务服务处 (第八条(四)1): approved, the unit gets its part',
    body: z.object({ approved: z.boolean(), note: text(2000) }).strict(),
    update: m.helpDecisionUpdate,
    command: (b, p) => ({ ...actor(p), ...b }),
  }),
  decision({
    path: 'parts/accept',
    roles: ['acceptor'],
    summary: '接收协办事项 (第八条(一)): the co-handling unit accepts its part (3 hours)',
    body: z.object({}).strict(),
    update: m.partAcceptUpdate,
    command: (_b, p) => ({ unitId: p.unitId, acceptedBy: p.userId }),
  }),
  decision({
    path: 'parts/contacts',
    roles: ['handler'],
    summary: '协办单位联系反映人 (第十一条)',
    body: contactBody,
    update: m.partContactUpdate,
    command: contactCommand,
  }),
  decision({
    path: 'parts/result',
    roles: ['handler'],
    summary: '协办结果 (第二十八条(六)): the co-handling unit submits its part’s result to the lead unit',
    body: z.object({ result: text(5000) }).strict(),
    update: m.partResultUpdate,
    command: (b, p) => ({ ...actor(p), result: b.result }),
  }),
  decision({
    path: 'parts/dispute',
    roles: ['acceptor'],
    summary: '协办异议 (第八条(四)1): the co-handling unit asks 委政务服务处 to reassign its part (it cannot return the ticket)',
    body: z.object({ reason: text(2000) }).strict(),
    update: m.partDisputeUpdate,
    command: (b, p) => ({ ...actor(p), reason: b.reason }),
  }),
  decision({
    path: 'parts/reassign',
    roles: ['supervisor'],
    summary: '调整协办单位 by 委政务服务处 (第八条(四)1): a disputed part moves to another unit, or stays',
    body: z.object({ fromUnitId: id, toUnitId: id.optional(), note: text(2000) }).strict(),
    update: m.partReassignUpdate,
    command: (b, p) => ({ ...actor(p), fromUnitId: b.fromUnitId, ...(b.toUnitId ? { toUnitId: b.toUnitId } : {}), note: b.note }),
    references: (b) => ({ units: b.toUnitId ? [b.toUnitId] : [] }),
  }),
  decision({
    path: 'return/refusal',
    roles: ['dispatcher'],
    summary: 'The platform refuses a return (第八条(三)): the ticket goes back to the unit with the reason, its deadline unchanged',
    body: z.object({ reason: text(2000) }).strict(),
    update: m.returnRefusedUpdate,
    command: (b, p) => ({ by: p.userId, reason: b.reason }),
  }),
] as const;

/** Anyone who works tickets may leave a note (written to the audit trail; it changes no decision). */
export const NOTE_ROLES: Role[] = ['acceptor', 'handler', 'reviewer', 'leader', 'revisitor', 'supervisor', 'admin'];
export const noteBody = z.object({ text: text(5000) }).strict();
