/**
 * Extension (延期) of the handling deadline, 第十四条: exceptional, for specially complex matters, requested with the
 * reporter's consent at least one day before the deadline, never for the matters of 第十四条(一)–(三).
 *
 * Pure; imports no calendar (the lead time is in natural hours; the latest new deadline, on the working-day clock, is
 * computed by `extensionLatestDueAt` in `./deadlines` and passed in as a fact).
 */
import { DEFAULT_PARAMETERS, type Parameters } from './parameters';
import { checkReportedTime } from './reported-time';
import { isBlank } from './text';
import { HOUR, isLate } from './time';
import { CATEGORY_NAMES, isConsultationCategory, URGENCY_NAMES, verdict, type Category, type Channel, type Urgency, type Verdict, type Violation } from './types';

/** Flags recorded on a ticket that matter to extension and supervision (第八条(二), 第十四条(一)). */
export interface SensitivityFlags {
  /** 突发紧急事件. */
  emergency?: boolean;
  /** 敏感事件 / may turn into negative public opinion (第八条(二)). */
  sensitive?: boolean;
  /** 重大舆情. */
  majorPublicOpinion?: boolean;
  /** 重大安全隐患. */
  majorSafetyHazard?: boolean;
}

/** What an extension decision needs to know about the ticket. */
export interface ExtensionTicketFacts {
  channel: Channel;
  category: Category;
  urgency?: Urgency;
  flags?: SensitivityFlags;
  /** The handling deadline now in force (第十一条). */
  currentDueAt: Date;
  /**
   * When the ticket reached the unit now handling it (第八条(一)): the reporter contact time lies between this and the
   * request (spec decision "who states the facts").
   */
  arrivedAtUnit: Date;
  /**
   * spec decision (第十四条): the latest new deadline allowed, `extensionLatestDueAt(currentDueAt, calendar, params)` of
   * `./deadlines` (`extensionMaxWorkingDays` working days after `currentDueAt`). Without it the maximum is not checked.
   */
  latestAllowedDueAt?: Date;
}

/** A unit's extension request (第十四条). */
export interface ExtensionRequest {
  requestedAt: Date;
  /** The new deadline asked for. */
  requestedDueAt: Date;
  /** 详细注明延期原因. */
  reason?: string;
  /** 先征得反映人同意. */
  reporterConsent?: boolean;
  /** 何时与反映人联系. */
  reporterContactedAt?: Date;
  /** 反映人意见. */
  reporterOpinion?: string;
  /** 涉及的法律、法规、规章或行政规范性文件 (optional). */
  legalBasis?: string;
  /** 第十四条(三): the slow handling is the unit's own doing. */
  causedByUnit?: boolean;
}

const FORBIDDEN_FLAGS: readonly [keyof SensitivityFlags, string][] = [
  ['emergency', '突发紧急事件'],
  ['sensitive', '敏感事件'],
  ['majorPublicOpinion', '重大舆情'],
  ['majorSafetyHazard', '重大安全隐患'],
];

function forbidden(facts: ExtensionTicketFacts, request: ExtensionRequest): Violation[] {
  const v: Violation[] = [];
  for (const [flag, name] of FORBIDDEN_FLAGS)
    if (facts.flags?.[flag])
      v.push({ rule: `extension.forbidden.${flag}`, article: '第十四条(一)', reason: `涉及${name}的事项不得申请延期。` });
  if (isConsultationCategory(facts.channel, facts.category))
    v.push({
      rule: 'extension.forbidden.consultation',
      article: '第十四条(二)',
      reason: `咨询类工单（${(CATEGORY_NAMES[facts.channel] as Record<string, string>)[facts.category]}）不得申请延期。`,
    });
  if (facts.urgency !== undefined)
    v.push({
      rule: 'extension.forbidden.urgency',
      article: '第十四条(二)',
      reason: `标注为“${URGENCY_NAMES[facts.urgency]}”的工单不得申请延期。`,
    });
  if (request.causedByUnit)
    v.push({ rule: 'extension.forbidden.unit-caused', article: '第十四条(三)', reason: '因承办单位自身原因导致办理缓慢的，不得申请延期。', field: 'causedByUnit' });
  return v;
}

function requirements(facts: ExtensionTicketFacts, request: ExtensionRequest, params: Parameters): Violation[] {
  const v: Violation[] = [];
  const lead = params.extensionMinLeadHours.value;
  if (facts.currentDueAt.getTime() - request.requestedAt.getTime() < lead * HOUR)
    v.push({
      rule: 'extension.lead-time',
      article: '第十四条',
      reason: `延期申请应在工单到期前至少一日（${lead}小时）提出；本申请提出时距到期不足${lead}小时。`,
      field: 'requestedAt',
    });
  if (request.requestedDueAt.getTime() <= facts.currentDueAt.getTime())
    v.push({ rule: 'extension.new-deadline', article: '第十四条', reason: '申请的新办理时限应晚于当前办理时限。', field: 'requestedDueAt' });
  else if (facts.latestAllowedDueAt !== undefined && isLate(facts.latestAllowedDueAt, request.requestedDueAt))
    v.push({
      rule: 'extension.max',
      article: '第十四条',
      reason: `申请的新办理时限最迟为当前办理时限后${params.extensionMaxWorkingDays.value}个工作日；本申请超出该期限。`,
      field: 'requestedDueAt',
    });
  if (request.reporterConsent !== true)
    v.push({ rule: 'extension.reporter-consent', article: '第十四条', reason: '延期办理应先征得反映人同意。', field: 'reporterConsent' });
  if (isBlank(request.reason))
    v.push({ rule: 'extension.reason', article: '第十四条', reason: '延期申请应详细注明延期原因。', field: 'reason' });
  v.push(
    ...checkReportedTime(
      request.reporterContactedAt,
      { from: facts.arrivedAtUnit, to: request.requestedAt },
      'reporterContactedAt',
      '第十四条',
      '与反映人联系的时间',
      'extension.contact-time',
    ),
  );
  if (isBlank(request.reporterOpinion))
    v.push({ rule: 'extension.reporter-opinion', article: '第十四条', reason: '延期申请应注明反映人意见。', field: 'reporterOpinion' });
  return v;
}

/**
 * 第十四条: whether an extension request may be submitted — not for the matters of (一)–(三); at least one day (24 h,
 * parameter) before the current deadline; with the reporter's consent, the reason, the time the reporter was contacted
 * (between the ticket's arrival at the unit and the request) and the reporter's opinion (legal basis optional); the new
 * deadline after the current one and, when `facts.latestAllowedDueAt` is given, not after it (spec decision, rule
 * `extension.max`). Every violation at once.
 */
export function checkExtension(
  request: ExtensionRequest,
  facts: ExtensionTicketFacts,
  params: Parameters = DEFAULT_PARAMETERS,
): Verdict {
  return verdict([...forbidden(facts, request), ...requirements(facts, request, params)]);
}
