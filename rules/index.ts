/**
 * The rule layer of 津交发〔2023〕118号: every operative clause as a pure, deterministic function with a typed result.
 * Named exports only; see README.md in this folder for a one-line description of each.
 *
 * Workflows that must not bundle the holiday data import the modules directly (e.g. `rules/reply`, `rules/deadlines`)
 * instead of this index, which re-exports `./calendar` and thereby `chinese-days`.
 */
export {
  CHANNELS,
  CHANNEL_NAMES,
  CATEGORIES_BY_CHANNEL,
  CATEGORY_NAMES,
  ALL_CATEGORIES,
  CONSULTATION_CATEGORIES,
  URGENCIES,
  URGENCY_NAMES,
  SPECIAL_LABELS,
  SPECIAL_LABEL_NAMES,
  RETURN_GROUNDS,
  RETURN_GROUND_NAMES,
  OK,
  isCategoryOfChannel,
  carriesUrgencyLabels,
  carriesSpecialLabels,
  isConsultationCategory,
  verdict,
} from './types';
export type { Channel, Category, Urgency, SpecialLabel, ReturnGround, Violation, Verdict, Finding } from './types';

export { REGULATION, REGULATION_EFFECTIVE_FROM, DEFAULT_PARAMETERS, ParameterOverrideError, withOverrides } from './parameters';
export type { Parameter, ParameterName, ParameterUnit, Parameters, SlaLimit, SlaUnit, HandlingLimits, UrgencyLimits } from './parameters';

export {
  SECOND,
  MINUTE,
  HOUR,
  DAY,
  isDateKey,
  parseDateKey,
  parseMonthKey,
  dateKeyOf,
  shanghaiDate,
  startOfShanghaiDay,
  endOfShanghaiDay,
  isDayBoundary,
  addCalendarDays,
  weekdayOf,
  isWeekend,
  datesBetween,
  previousMonth,
  addHours,
  toSecond,
  isLate,
} from './time';
export type { DateKey, MonthKey } from './time';

export {
  nextWorkingDay,
  previousWorkingDay,
  workingDayOnOrAfter,
  workingDayOnOrBefore,
  advanceWorkingClock,
  addWorkingTime,
  addWorkingDays,
  clockStartAt,
  workingTimeBetween,
} from './clock';
export type { DayInfo, DayKind, DaySource, WorkingCalendar, DayOracle, ClockResult } from './clock';

export { createWorkingCalendar, statutoryHolidays, DATA_PACKAGE_YEARS } from './calendar';
export type { CalendarOverride, CalendarOptions, YearArrangement, TransportCalendar } from './calendar';

export { acceptanceDueAt, isAcceptanceOverdue } from './acceptance';

export {
  SERVICE_DIVISION_UNIT,
  TICKET_STATUSES,
  RECIPIENT_ROLES,
  TRANSITIONS,
  OPEN_STATUSES,
  nextStatus,
  reHandlingReportNeedsSeal,
  checkLateReturnApproval,
  checkAccept,
  checkAssign,
  checkContact,
  checkOpinion,
  checkReturnStep,
  checkRedispatch,
  checkWithdraw,
  checkExtensionStep,
  checkExtensionDecision,
  checkFlag,
  checkMediation,
  checkDraftStep,
  checkReviewStep,
  checkRevisit,
  checkReopen,
  checkSupervise,
  checkCaseAnswer,
  checkSupervisionApproval,
  checkRating,
  checkReturnRefusal,
  checkUrge,
  checkReopenSuggestionDecision,
  SUPERVISION_TRANSITIONS,
} from './lifecycle';
export type { LifecycleTicket, LifecycleStep, TicketStatus, RecipientRole, OrderedBy } from './lifecycle';

export { handlingSla, ticketDeadlines, isHandlingOverdue, supervisionAnswerDueAt, extensionLatestDueAt } from './deadlines';
export { checkDispatchTimes } from './dispatch';
export {
  partDeadlines,
  checkAddPart,
  checkHelpRequest,
  checkHelpDecision,
  checkPartAccept,
  checkPartContact,
  checkPartResult,
  checkPartDispute,
  checkPartReassign,
  partsMissingResults,
  coHandlingReturn,
} from './parts';
export type { PartStatus, PartFacts, PartTicket } from './parts';
export { checkReportedTime } from './reported-time';
export type { SlaEntry, DeadlineInput, ComputedDeadlines } from './deadlines';

export { returnWindowEndsAt, isWithinReturnWindow, checkReturn } from './returns';
export type { ReturnRequest, ReturnEvidence, ReturnRecord, ReturnTicketFacts, PreviousTicket, DutyShare } from './returns';

export { checkExtension } from './extensions';
export type { ExtensionRequest, ExtensionTicketFacts, SensitivityFlags } from './extensions';

export { analyseReply, checkReply, replyClaims, platformReplyText, complaintKeywords } from './reply';
export { checkNoReporterIdentity } from './privacy';
export type { ReporterIdentity } from './privacy';
export type { ReplyDraft, ReplyContext, ReplyElement, ReplyAnalysis, ElementFinding } from './reply';

export type {
  TicketFacts,
  TicketEvent,
  TicketEventType,
  TicketFlags,
  ContactRecord,
  RevisitRecord,
  RelatedReport,
  HandlingAssessment,
  Satisfaction,
} from './facts';

export { revisitExemptions, reopenReasons, drawRevisitSample } from './revisit';

export {
  supervisionTriggers,
  isSlowAfterReminder,
  isRepeatedUnsatisfied,
  isFalseClosure,
  isPassedAround,
  isManagementMisconduct,
  ratingComplaints,
} from './supervision';
export type { SupervisionAssessment } from './supervision';

export { checkAppeal } from './appeals';
export type { AppealFacts } from './appeals';

export { owesMonthlyReports, monthlyDeadlines, isMonthlyDeadlineMissed, MONTHLY_FILING_KINDS, MONTHLY_FILING_REMINDER_WORKING_DAYS, nextMonth, filingMonthOf, monthlyFilingReminderAt, monthlyFilingDeadlines, monthlyFilingId, parseMonthlyFilingId, FILING_ID, monthlyFilingObligations } from './monthly';
export type { MonthlyDeadline, MonthlyDeadlines } from './monthly';

export { knowledgeBaseUpdateDueAt, checkKnowledgeBaseUpdate, checkKnowledgeBaseEdit } from './knowledge-base';

export {
  statisticsPeriod,
  monthPeriod,
  isAcceptedOnTime,
  overdueRoundsOf,
  isClosed,
  isClosedOnTime,
  returnsOf,
  supervisionAnswerOf,
  partTimelinessOf,
  SUPERVISION_TRIGGER_ARTICLES,
  emptyCounts,
  sumCounts,
  tallyStatistics,
  rate,
  responseRate,
  completionRate,
  onTimeClosureRate,
  satisfactionRate,
  threeRates,
  figuresOf,
  CIRCULAR_RECORD_KINDS,
  CIRCULAR_RECORD_ARTICLES,
  CIRCULAR_RECORD_KIND_NAMES,
  REFERRAL_GROUNDS,
  REFERRAL_GROUND_TEXT,
  circularCriteria,
} from './statistics';
export type {
  StatisticsPeriod,
  StatisticsSatisfaction,
  StatisticsPart,
  StatisticsTicket,
  StatisticsCase,
  StatisticsAppeal,
  ReturnRecordOfTicket,
  SupervisionAnswer,
  StatisticsCounts,
  Rate,
  ThreeRates,
  StatisticsFigures,
  CircularRecordKind,
  ReferralGround,
  CircularUnitFacts,
  CircularFinding,
} from './statistics';

export { normalise, isBlank, compact } from './text';
// rules/lifecycle.ts (workflow step checks) is maintained with the workflows and imported directly.
