/**
 * Return (退单) of a ticket by the handling unit: the five grounds of 第八条(三) with their evidence, the 24-hour window of
 * ground 1, the forbidden cases of 第八条(四), and the special labels of 第十三条.
 *
 * Pure; imports no calendar (natural hours only).
 */
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { checkReportedTime } from './reported-time';
import { isBlank, letters } from './text';
import { addHours, isLate, toSecond } from './time';
import { SPECIAL_LABEL_NAMES, verdict, type ReturnGround, type SpecialLabel, type Verdict, type Violation } from './types';

/** A previous ticket on the same issue and its result (第八条(三)3). */
export interface PreviousTicket {
  ticketNo: string;
  /** 往次办理结果: the final lawful result. */
  result: string;
}

/** The evidence a return carries; which items are required depends on the ground (第八条(三)1–5). */
export interface ReturnEvidence {
  /** 1: 详细说明理由. */
  reasons?: string;
  /** 1: 依据 — the legal or official basis (law, regulation, division of duties). */
  basis?: string;
  /** 1: 转办的意见建议 — the unit the ticket should go to. */
  proposedTransferee?: string;
  /** 2: 需要热线话务人员再次核实的全部信息, listed at once. */
  itemsToVerify?: readonly string[];
  /** 3: 往次办理情况和办理结果. */
  previousTickets?: readonly PreviousTicket[];
  /** 4: 需引用的知识库具体条目 — the entry's identifier on the 12345 platform, and optionally its title. */
  knowledgeBaseEntry?: { id: string; title?: string };
  /** 5: 文件编号等佐证材料 of the petition (信访), litigation or arbitration. */
  documentNumbers?: readonly string[];
}

/**
 * A unit's return (退单) request: only what the unit states (spec decision "who states the facts"). What the platform
 * decides (不得退单, 第八条(四)3) and what 委政务服务处 decides (approving a late return) are facts of the ticket
 * (`ReturnTicketFacts`), never part of the request.
 */
export interface ReturnRequest {
  ground: ReturnGround;
  requestedAt: Date;
  evidence: ReturnEvidence;
  /**
   * 第八条(三)1 "原则上": the unit's written justification of a not-our-duty return later than the window; the return
   * also needs 委政务服务处's approval, `ReturnTicketFacts.lateReturnApproval` (spec decision).
   */
  lateJustification?: { text: string };
  /** 第八条(四)1: the unit returns because the matter is difficult, or it cannot handle it by itself. */
  citesDifficulty?: boolean;
  /** 第八条(四)1: the unit returns because it needs another unit's help. */
  citesNeedForOtherUnitHelp?: boolean;
  /** 第十三条: when the unit contacted the reporter and explained the return (special-label tickets). */
  reporterContactedAt?: Date;
  /** 第十三条: when the unit consulted the Commission office (委办公室) about an 【互联网+督查】 return. */
  officeConsultedAt?: Date;
  /** 第十三条: when the city government inspection department (市政府督查部门) consented to an 【互联网+督查】 return. */
  inspectionConsentAt?: Date;
}

/** A return already made on the ticket. */
export interface ReturnRecord {
  ground: ReturnGround;
  at: Date;
  /** The unit that returned it. */
  unit?: string;
  /** The return's reasons as sent (for 第十六条(三)). */
  reason?: string;
}

/** The unit's responsibility for the ticket as recorded: wholly its duty, partly, not at all, or not determined. */
export type DutyShare = 'own' | 'partial' | 'not-own' | 'unknown';

/** What a return decision needs to know about the ticket. */
export interface ReturnTicketFacts {
  /** 第八条(三)1: when the ticket reached the unit. */
  dispatchedToUnitAt: Date;
  /** 第十三条 special labels. */
  labels: readonly SpecialLabel[];
  /** Returns already made on this ticket (any unit). */
  previousReturns: readonly ReturnRecord[];
  /** 第八条(四)1–2: the unit's recorded responsibility. */
  duty?: DutyShare;
  /** 第八条(四)2: for a partly-own-duty ticket, whether the unit's own part is handled completely. */
  ownPartCompleted?: boolean;
  /**
   * 第八条(四)3: the 12345 / 12328 / 政民零距离 platform marks the ticket as not returnable — from the platform's
   * dispatch or a later platform message, never from the unit (spec decision "who states the facts").
   */
  platformForbidsReturn?: boolean;
  /**
   * 第八条(三)1 (spec decision): 委政务服务处's approval of a late not-our-duty return, a decision it took in the system
   * (`by`: who approved). Counts only when recorded after the ticket reached the unit and not after the request.
   */
  lateReturnApproval?: { approvedAt: Date; by: string };
  /**
   * spec decision "特急 acceptance": the handling deadline (第十一条); when given, the return window ends no later than
   * it (a 特急 ticket is returned within its hour).
   */
  handlingDueAt?: Date;
  /** 第八条(三)3: the reporter raised a new reasonable demand or new clues. */
  reporterRaisedNewDemand?: boolean;
}

/**
 * 第八条(三)1: the end of the not-our-duty return window, 24 natural hours after the ticket reached the unit; when
 * `handlingDueAt` is given, no later than it (spec decision "特急 acceptance").
 */
export function returnWindowEndsAt(dispatchedToUnitAt: Date, params: Parameters = DEFAULT_PARAMETERS, handlingDueAt?: Date): Date {
  const end = addHours(dispatchedToUnitAt, params.returnWindowHours.value);
  return handlingDueAt !== undefined && handlingDueAt.getTime() < end.getTime() ? handlingDueAt : end;
}

/**
 * 第八条(三)1: whether a return at `at` is within the window (to the second; the last second counts); the window ends no
 * later than `handlingDueAt` when given (spec decision "特急 acceptance").
 */
export function isWithinReturnWindow(
  dispatchedToUnitAt: Date,
  at: Date,
  params: Parameters = DEFAULT_PARAMETERS,
  handlingDueAt?: Date,
): boolean {
  return !isLate(returnWindowEndsAt(dispatchedToUnitAt, params, handlingDueAt), at);
}

/** 第八条(四)1: wording of a return that cites difficulty or the need for another unit's help. */
const DIFFICULTY =
  /办理困难|难以(办理|解决|处理|落实)|无法(办理|解决|处理|落实)|难度(较|很|太)?大|(需要?|须|需由)(其他|其它|相关|有关)?(单位|部门)(协助|配合|协调|支持)|协调(难度|困难)|人手不足|力量不足|不具备(办理|处理)?条件/;

const has = (label: SpecialLabel, labels: readonly SpecialLabel[]) => labels.includes(label);

/**
 * 第八条(三)1 (spec decision): a not-our-duty return after the window needs both the unit's written justification (in
 * the request) and 委政务服务处's approval (a fact, recorded between the ticket's arrival at the unit and the request).
 */
function lateReturn(request: ReturnRequest, facts: ReturnTicketFacts, params: Parameters): Violation[] {
  const hours = params.returnWindowHours.value;
  const capped = facts.handlingDueAt !== undefined && isLate(facts.handlingDueAt, addHours(facts.dispatchedToUnitAt, hours));
  const window = capped ? `工单办理时限（${hours}小时退单时限不得超过办理时限）` : `工单派至承办单位${hours}小时`;
  const base = `非本单位职责事项原则上应在${window}内退回；已超时，须有书面说明并经委政务服务处批准`;
  const approval = facts.lateReturnApproval;
  const approved =
    approval !== undefined &&
    !isBlank(approval.by) &&
    toSecond(approval.approvedAt) >= toSecond(facts.dispatchedToUnitAt) &&
    toSecond(approval.approvedAt) <= toSecond(request.requestedAt);
  const noText = request.lateJustification === undefined || isBlank(request.lateJustification.text);
  if (!noText && approved) return [];
  const missing = [
    ...(noText ? ['本申请未附书面说明'] : []),
    ...(approved ? [] : [approval === undefined ? '委政务服务处尚未批准' : '委政务服务处的批准记录无效（须注明批准人，并在工单派至本单位之后、退单申请之前作出）']),
  ];
  return [{ rule: 'return.window-24h', article: '第八条(三)1', reason: `${base}；${missing.join('，')}。`, ...(noText ? { field: 'lateJustification' } : {}) }];
}

function evidenceViolations(request: ReturnRequest, facts: ReturnTicketFacts, params: Parameters): Violation[] {
  const e = request.evidence;
  const v: Violation[] = [];
  switch (request.ground) {
    case 'not-our-duty':
      if (facts.duty === 'own')
        v.push({
          rule: 'return.not-our-duty-contradicted',
          article: '第八条(三)1',
          reason: '该事项已确认属本单位职责，不得以“非本单位职责”为由退单。',
          field: 'ground',
        });
      if (isBlank(e.reasons))
        v.push({ rule: 'return.not-our-duty.reasons', article: '第八条(三)1', reason: '以非本单位职责退单，应详细说明理由。', field: 'evidence.reasons' });
      if (isBlank(e.basis))
        v.push({ rule: 'return.not-our-duty.basis', article: '第八条(三)1', reason: '以非本单位职责退单，应说明依据（法律法规或职责分工文件）。', field: 'evidence.basis' });
      if (isBlank(e.proposedTransferee))
        v.push({
          rule: 'return.not-our-duty.transferee',
          article: '第八条(三)1',
          reason: '以非本单位职责退单，应提出转办的意见建议（建议承办单位）。',
          field: 'evidence.proposedTransferee',
        });
      if (!isWithinReturnWindow(facts.dispatchedToUnitAt, request.requestedAt, params, facts.handlingDueAt)) v.push(...lateReturn(request, facts, params));
      break;
    case 'incomplete-info': {
      const items = (e.itemsToVerify ?? []).filter((i) => !isBlank(i));
      if (items.length === 0 || items.length !== (e.itemsToVerify ?? []).length)
        v.push({
          rule: 'return.incomplete-info.items',
          article: '第八条(三)2',
          reason: '以信息要素不全或有误退单，应一次性列明需要热线话务人员再次核实的全部信息（至少一项，不得为空）。',
          field: 'evidence.itemsToVerify',
        });
      const earlier = facts.previousReturns.filter((r) => r.ground === 'incomplete-info').length;
      if (earlier >= params.incompleteInfoReturnsPerTicket.value)
        v.push({
          rule: 'return.incomplete-info.once',
          article: '第八条(三)2',
          reason: '该工单已以信息要素不全为由退单，不得反复退单重复核实。',
          field: 'ground',
        });
      break;
    }
    case 'repeat': {
      const previous = e.previousTickets ?? [];
      if (previous.length === 0 || previous.some((t) => isBlank(t.ticketNo) || isBlank(t.result)))
        v.push({
          rule: 'return.repeat.previous-results',
          article: '第八条(三)3',
          reason: '以重复反映退单，应列明往次工单的办理情况和明确的办理结果。',
          field: 'evidence.previousTickets',
        });
      if (facts.reporterRaisedNewDemand)
        v.push({
          rule: 'return.repeat.new-demand',
          article: '第八条(三)3',
          reason: '反映人提出了新的合理诉求或补充了问题线索，不得以重复反映退单。',
          field: 'ground',
        });
      break;
    }
    case 'knowledge-base':
      if (isBlank(e.knowledgeBaseEntry?.id))
        v.push({
          rule: 'return.knowledge-base.entry',
          article: '第八条(三)4',
          reason: '以知识库已有公示信息退单，应详细注明需引用的知识库具体条目。',
          field: 'evidence.knowledgeBaseEntry',
        });
      break;
    case 'legal-process': {
      const numbers = (e.documentNumbers ?? []).filter((n) => !isBlank(n));
      if (numbers.length === 0)
        v.push({
          rule: 'return.legal-process.documents',
          article: '第八条(三)5',
          reason: '以已进入信访、诉讼、仲裁程序退单，应提交文件编号等佐证材料。',
          field: 'evidence.documentNumbers',
        });
      break;
    }
  }
  return v;
}

function forbiddenCases(request: ReturnRequest, facts: ReturnTicketFacts): Violation[] {
  const v: Violation[] = [];
  const reasonsText = letters(request.evidence.reasons ?? '');
  if (request.citesDifficulty || request.citesNeedForOtherUnitHelp || DIFFICULTY.test(reasonsText))
    v.push({
      rule: 'return.forbidden.own-duty-difficulty',
      article: '第八条(四)1',
      reason: '属本单位职责的事项，因自身原因无法办理、办理困难或需要其它单位协助的，主责单位不得退单。',
      field: 'evidence.reasons',
    });
  if (facts.duty === 'partial' && facts.ownPartCompleted !== true)
    v.push({
      rule: 'return.forbidden.own-part-unfinished',
      article: '第八条(四)2',
      reason: '工单涉及本单位部分职责，职责内事项尚未处理完毕，不得退单。',
    });
  if (facts.platformForbidsReturn)
    v.push({
      rule: 'return.forbidden.platform',
      article: '第八条(四)3',
      reason: '便民服务热线平台要求该工单不得退单。',
    });
  return v;
}

/** The times of 第十三条 a unit reports with a return: field, rule id when a label requires the time, its name. */
const LABEL_TIMES = [
  ['reporterContactedAt', 'return.special-label.reporter-contact', '与反映人联系并说明情况的时间'],
  ['officeConsultedAt', 'return.special-label.office-consulted', '与委办公室沟通的时间'],
  ['inspectionConsentAt', 'return.special-label.inspection-consent', '市政府督查部门同意退回的时间'],
] as const;

function missingReason(field: (typeof LABEL_TIMES)[number][0], names: string): string {
  switch (field) {
    case 'reporterContactedAt':
      return `带有${names}标签的工单确需退单的，应先与反映人联系并说明情况，并记录联系时间。`;
    case 'officeConsultedAt':
      return '带有【互联网+督查】标签的工单需要退单的，应先与委办公室沟通，并记录沟通情况。';
    case 'inspectionConsentAt':
      return '带有【互联网+督查】标签的工单，须征得市政府督查部门同意后方可退回。';
  }
}

/**
 * 第十三条: a special-label ticket is returned only after the reporter was contacted (and, for 【互联网+督查】, the
 * Commission office consulted and the city inspection department's consent obtained), each time recorded. Every such
 * time, required or not, lies between the ticket's arrival at the unit and the request (spec decision "who states the
 * facts"); a time given where no label requires it is checked under the rules `reported-time.*` of `./reported-time`.
 */
function specialLabels(request: ReturnRequest, facts: ReturnTicketFacts): Violation[] {
  const v: Violation[] = [];
  const names = facts.labels.map((l) => SPECIAL_LABEL_NAMES[l]).join('');
  const span = { from: facts.dispatchedToUnitAt, to: request.requestedAt };
  for (const [field, rule, what] of LABEL_TIMES) {
    const required = field === 'reporterContactedAt' ? facts.labels.length > 0 : has('internet-plus-inspection', facts.labels);
    const at = request[field];
    if (at === undefined) {
      if (required) v.push({ rule, article: '第十三条', reason: missingReason(field, names), field });
      continue;
    }
    v.push(...checkReportedTime(at, span, field, '第十三条', what, required ? rule : undefined));
  }
  return v;
}

/**
 * Whether a return (退单) may go ahead: the ground's evidence (第八条(三)1–5), the 24-hour window of ground 1, at most one
 * incomplete-info return, the forbidden cases (第八条(四)1–3) and the special labels (第十三条). Every violation at once.
 */
export function checkReturn(request: ReturnRequest, facts: ReturnTicketFacts, params: Parameters = DEFAULT_PARAMETERS): Verdict {
  return verdict([...forbiddenCases(request, facts), ...evidenceViolations(request, facts, params), ...specialLabels(request, facts)]);
}
