/**
 * The regulation's parameters, OpenFisca-style: each value carries its unit, the article it comes from, the date it
 * takes effect and a one-line description. Code reads parameters from here, never literals. A deployment overrides a
 * value through configuration (see `withOverrides`), validated at start-up.
 */
import { z } from 'zod';
import { CATEGORIES_BY_CHANNEL, CHANNELS, URGENCIES, type Channel, type Urgency } from './types';

/** 津交发〔2023〕118号 takes effect on the day it was issued (第三十三条). */
export const REGULATION_EFFECTIVE_FROM = '2023-06-01';
/** The regulation these parameters implement (第一条, 第三十三条). */
export const REGULATION = '津交发〔2023〕118号';

/** Unit of a parameter's value (hours are natural hours; working days are those of 第十一条). */
export type ParameterUnit = 'minutes' | 'hours' | 'working-days' | 'fraction' | 'day-of-month' | 'count' | 'days' | 'table';

/** One parameter of the regulation, OpenFisca-style (第三十三条 effective date). */
export interface Parameter<T> {
  value: T;
  unit: ParameterUnit;
  /** The article (第N条…) the value comes from, or `spec decision` with the article it interprets. */
  article: string;
  /** ISO date from which the value applies. */
  effectiveFrom: string;
  description: string;
}

/** Unit of a handling time limit (第十一条): working days of the working-day clock, or natural hours (特急). */
export type SlaUnit = 'working-days' | 'hours';

/** One handling time limit of 第十一条. */
export interface SlaLimit {
  amount: number;
  unit: SlaUnit;
}

/** 第十一条(一)–(三): the handling time limit of every category of every channel family. */
export type HandlingLimits = { [C in Channel]: Record<(typeof CATEGORIES_BY_CHANNEL)[C][number], SlaLimit> };

/** 第十一条(一): the time limits of the urgency labels 特急 / 紧急 / 急 (they replace the category's limit). */
export type UrgencyLimits = Record<Urgency, SlaLimit>;

function p<T>(value: T, unit: ParameterUnit, article: string, description: string): Parameter<T> {
  return { value, unit, article, effectiveFrom: REGULATION_EFFECTIVE_FROM, description };
}

const wd = (amount: number): SlaLimit => ({ amount, unit: 'working-days' });

/** The default parameter table. */
export const DEFAULT_PARAMETERS = {
  acceptanceHours: p(3, 'hours', '第八条(一)', '工单派至承办单位后须在此时限内接单（自然小时；其他渠道同样适用，规程仅言“第一时间受理”）'),
  returnWindowHours: p(24, 'hours', '第八条(三)1', '非本单位职责退单原则上应在工单派至承办单位后此时限内提出（自然小时；逾期须经委政务服务处批准）'),
  incompleteInfoReturnsPerTicket: p(1, 'count', '第八条(三)2', '每张工单以信息要素不全为由退单的最多次数（不得反复退单重复核实）'),
  handlingLimits: p<HandlingLimits>(
    {
      '12345': { consultation: wd(3), request: wd(5), suggestion: wd(5), complaint: wd(5), report: wd(5) },
      '12328-wechat': { information: wd(3), suggestion: wd(5), complaint: wd(5) },
      zmlj: { consultation: wd(2), help: wd(5), suggestion: wd(5), feedback: wd(5), complaint: wd(5) },
    },
    'table',
    '第十一条(一)–(三)',
    '各渠道各类别工单的办理时限（12345热线、12328微信公众号及小程序、《政民零距离》栏目）',
  ),
  urgencyLimits: p<UrgencyLimits>(
    { critical: { amount: 1, unit: 'hours' }, urgent: wd(1), expedited: wd(2) },
    'table',
    '第十一条(一)',
    '标注紧急类工单的办理时限：“特急”1（自然）小时，“紧急”1个工作日，“急”2个工作日；取代类别时限',
  ),
  reminderFraction: p(0.75, 'fraction', 'spec decision (第十一条)', '办理时限已过此比例时提醒承办单位'),
  supervisionNearDeadlineFraction: p(
    0.9,
    'fraction',
    'spec decision (第二十二条(一))',
    '“临近超时”：办理时限已过此比例（须大于提醒比例）且经提醒仍未办结的，列入督办',
  ),
  extensionMinLeadHours: p(24, 'hours', '第十四条', '延期申请须在工单到期前至少此时长提出（“至少一日”，按自然小时计）'),
  extensionMaxWorkingDays: p(
    10,
    'working-days',
    'spec decision (第十四条)',
    '申请延期的新办理时限最迟为当前办理时限后此数个工作日（按工作日时钟计；须晚于当前办理时限）',
  ),
  dispatchClockSkewMinutes: p(
    5,
    'minutes',
    'spec decision (第十一条(四))',
    '平台派单时间、派至承办单位时间允许晚于系统当前时间的最大时钟误差；超出即为不可能属实的时间，拒收',
  ),
  supervisionAnswerWorkingDays: p(
    3,
    'working-days',
    'spec decision (第二十三条)',
    '督办事项承办单位报送加盖公章的办理情况报告的期限（“快速办理”：短于一般工单的5个工作日）',
  ),
  supervisionRepeatedReports: p(2, 'count', 'spec decision (第二十二条(二))', '“多次反映”：本次之前同一问题已反映此数次，且对办理结果不满意的，列入督办'),
  partLeadWorkingDays: p(
    1,
    'working-days',
    'spec decision (第九条, 第二十八条(六))',
    '协办单位的办理时限早于工单办理时限的工作日数，留给牵头承办单位汇总答复（工单时限不长于此数的，协办时限为其一半）',
  ),
  relatedReportWindowDays: p(
    90,
    'days',
    'spec decision (第二十二条(二))',
    '“同一问题”：同一反映人（按电话号码的密钥散列识别，不比对号码本身）在此天数内向同一承办单位反映的同一类别工单视为关联工单',
  ),
  supervisionRepeatedReturns: p(2, 'count', 'spec decision (第二十二条(四))', '“多次退回或相互推诿”：退单或改派承办单位次数达到此数且仍未受理的，列入督办'),
  revisitSampleRateServiceDivision: p(0.1, 'fraction', 'spec decision (第十七条)', '委政务服务处对全委办结工单随机抽查回访的比例'),
  revisitSampleRateUnit: p(0.2, 'fraction', 'spec decision (第十七条)', '承办单位受理部门对本单位办结工单随机抽查回访的比例'),
  revisitWindowDays: p(30, 'days', 'spec decision (第十七条、第十八条)', '办结后在此天数内可回访并派回重新办理；期满后工单流程结束'),
  knowledgeBaseReportFirstDay: p(1, 'day-of-month', '第三十一条(一)', '知识库信息月报表填报窗口首日'),
  knowledgeBaseReportLastDay: p(5, 'day-of-month', '第三十一条(一)', '知识库信息月报表填报窗口末日（不顺延，遇非工作日提前）'),
  trainingReportFirstDay: p(1, 'day-of-month', '第三十一条(二)', '培训材料月报表填报窗口首日'),
  trainingReportLastDay: p(20, 'day-of-month', '第三十一条(二)', '培训材料月报表填报窗口末日（不顺延，遇非工作日提前）'),
  appealPackageDay: p(6, 'day-of-month', '第二十八条', '上月不满意工单申诉材料报送委政务服务处的截止日（含当日；遇非工作日顺延至第一个工作日）'),
  appealPackageReminderWorkingDays: p(
    2,
    'working-days',
    'spec decision (第二十八条)',
    '申诉材料报送截止日前此数个工作日的0时（北京时间）提醒尚未报送的承办单位；为0时于截止日当天0时提醒',
  ),
  knowledgeBaseLeadHours: p(24, 'hours', '第二十九条', '拟发布政策及解读须在正式发布前至少此时长更新至12345热线知识库（“至少一日”，按自然小时计）'),
  circularRefusedReturns: p(
    2,
    'count',
    'spec decision (第二十四条(一))',
    '“推诿扯皮”：当月受理的工单中，承办单位退单被平台退回达到此次数的，列为通报批评候选（每月每单位）',
  ),
  circularRepeatedReturns: p(
    1,
    'count',
    'spec decision (第二十四条(一), 第八条(三)2)',
    '“推诿扯皮”：当月受理的工单中，被同一承办单位反复退单（两次及以上）的工单达到此件数的，该单位列为通报批评候选（每月每单位）',
  ),
  circularOverdueTickets: p(
    3,
    'count',
    'spec decision (第二十四条(一))',
    '“敷衍拖延”：当月受理的工单中，承办单位作为牵头单位超时办理（任一办理轮次超时）的工单达到此件数的，列为通报批评候选（每月每单位）',
  ),
};

/** The parameter table's type: every parameter of `DEFAULT_PARAMETERS` (第八条–第三十一条). */
export type Parameters = { [K in keyof typeof DEFAULT_PARAMETERS]: Parameter<(typeof DEFAULT_PARAMETERS)[K]['value']> };
/** A parameter's name, as used in configuration overrides. */
export type ParameterName = keyof Parameters;

const slaCell = z.strictObject({ amount: z.number().positive(), unit: z.enum(['working-days', 'hours']) }).partial();

const handlingLimitsSchema = z
  .strictObject(
    Object.fromEntries(
      CHANNELS.map((channel) => [
        channel,
        z.strictObject(Object.fromEntries(CATEGORIES_BY_CHANNEL[channel].map((category) => [category, slaCell]))).partial(),
      ]),
    ),
  )
  .partial();

const urgencyLimitsSchema = z.strictObject(Object.fromEntries(URGENCIES.map((u) => [u, slaCell]))).partial();

const hours = z.number().positive();
const fraction = z.number().gt(0).lt(1);
const rate = z.number().min(0).max(1);
const count = z.number().int().min(1);
const dayOfMonth = z.number().int().min(1).max(28);

const overridesSchema = z
  .strictObject({
    acceptanceHours: hours,
    returnWindowHours: hours,
    incompleteInfoReturnsPerTicket: count,
    handlingLimits: handlingLimitsSchema,
    urgencyLimits: urgencyLimitsSchema,
    reminderFraction: fraction,
    supervisionNearDeadlineFraction: z.number().gt(0).max(1),
    extensionMinLeadHours: z.number().min(0),
    extensionMaxWorkingDays: z.number().positive(),
    dispatchClockSkewMinutes: z.number().min(0),
    supervisionAnswerWorkingDays: z.number().positive(),
    supervisionRepeatedReports: z.number().int().min(1),
    relatedReportWindowDays: z.number().int().min(1),
    partLeadWorkingDays: z.number().min(0),
    supervisionRepeatedReturns: count,
    revisitSampleRateServiceDivision: rate,
    revisitSampleRateUnit: rate,
    revisitWindowDays: z.number().int().min(1),
    knowledgeBaseReportFirstDay: dayOfMonth,
    knowledgeBaseReportLastDay: dayOfMonth,
    trainingReportFirstDay: dayOfMonth,
    trainingReportLastDay: dayOfMonth,
    appealPackageDay: dayOfMonth,
    appealPackageReminderWorkingDays: z.number().int().min(0).max(10),
    knowledgeBaseLeadHours: z.number().min(0),
    circularRefusedReturns: count,
    circularRepeatedReturns: count,
    circularOverdueTickets: count,
  } satisfies { [K in ParameterName]: z.ZodType })
  .partial();

/** A configuration that does not fit the parameter table; the message names every offending parameter. */
export class ParameterOverrideError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid parameter override: ${problems.join('; ')}`);
    this.name = 'ParameterOverrideError';
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge of a validated override into a value (tables are merged cell by cell). */
function merge<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) return override as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) if (v !== undefined) out[k] = merge(out[k], v);
  return out as T;
}

/** Relations between parameters that single values cannot express. */
function crossChecks(params: Parameters): string[] {
  const problems: string[] = [];
  const v = <K extends ParameterName>(k: K) => params[k].value;
  if (v('supervisionNearDeadlineFraction') <= v('reminderFraction'))
    problems.push('supervisionNearDeadlineFraction: must be greater than reminderFraction (第二十二条(一) “经提醒”)');
  if (v('knowledgeBaseReportFirstDay') > v('knowledgeBaseReportLastDay'))
    problems.push('knowledgeBaseReportFirstDay: must not be after knowledgeBaseReportLastDay (第三十一条(一))');
  if (v('trainingReportFirstDay') > v('trainingReportLastDay'))
    problems.push('trainingReportFirstDay: must not be after trainingReportLastDay (第三十一条(二))');
  return problems;
}

/**
 * The parameter table with a deployment's overrides applied. Overrides are `{ name: value }`; tables (`handlingLimits`,
 * `urgencyLimits`) take a partial table, e.g. `{ handlingLimits: { zmlj: { consultation: { amount: 3 } } } }`. An
 * unknown name, channel or category, or a value of the wrong shape, throws `ParameterOverrideError` naming the parameter,
 * so a bad configuration stops the process at start-up. Each value keeps the article it implements (第八条–第三十一条)
 * and its effective date (第三十三条).
 */
export function withOverrides(overrides: unknown, base: Parameters = DEFAULT_PARAMETERS): Parameters {
  const parsed = overridesSchema.safeParse(overrides ?? {});
  if (!parsed.success) {
    throw new ParameterOverrideError(
      parsed.error.issues.map((issue) => {
        const path = issue.path.map(String).join('.');
        const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.join(', ')})` : '';
        return `${path || '(root)'}: ${issue.message}${keys}`;
      }),
    );
  }
  const out = { ...base } as Record<string, Parameter<unknown>>;
  for (const [name, value] of Object.entries(parsed.data)) {
    if (value === undefined) continue;
    const current = out[name]!;
    out[name] = { ...current, value: merge(current.value, value) };
  }
  const result = out as Parameters;
  const problems = crossChecks(result);
  if (problems.length > 0) throw new ParameterOverrideError(problems);
  return result;
}
