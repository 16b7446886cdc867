/**
 * The vocabulary of 津交发〔2023〕118号 as used everywhere in the system (see ../shared/spec/rules.md, "Names in code").
 * Pure data: no I/O, no clock. Imported by the rule layer, the workflows, the activities and the API.
 */

/** Channels (第二条). `12345` includes 12328 phone tickets, which run in parallel with 12345. */
export const CHANNELS = ['12345', '12328-wechat', 'zmlj'] as const;
/** A channel family of 第二条 / 第十一条(一)–(三). */
export type Channel = (typeof CHANNELS)[number];

/** Categories per channel family (第十一条(一)–(三)). */
export const CATEGORIES_BY_CHANNEL = {
  /** 咨询 / 办理 / 建议 / 投诉 / 举报 */
  '12345': ['consultation', 'request', 'suggestion', 'complaint', 'report'],
  /** 信息咨询 / 意见建议 / 投诉举报 */
  '12328-wechat': ['information', 'suggestion', 'complaint'],
  /** 咨询 / 求助 / 建议 / 反馈 / 投诉 */
  zmlj: ['consultation', 'help', 'suggestion', 'feedback', 'complaint'],
} as const satisfies Record<Channel, readonly string[]>;
/** A category of any channel family (第十一条(一)–(三)); see `isCategoryOfChannel`. */
export type Category = (typeof CATEGORIES_BY_CHANNEL)[Channel][number];
/** Every category of 第十一条(一)–(三), once. */
export const ALL_CATEGORIES = [...new Set(Object.values(CATEGORIES_BY_CHANNEL).flat())] as Category[];

/** Urgency labels of 12345 tickets (第十一条(一)): 特急 / 紧急 / 急. */
export const URGENCIES = ['critical', 'urgent', 'expedited'] as const;
/** 第十一条(一): 特急 `critical`, 紧急 `urgent`, 急 `expedited`. */
export type Urgency = (typeof URGENCIES)[number];

/** Special labels of 第十三条: 【互联网+督查】【营商环境监督员】【中国政府网留言】【转接企业营商服务专线】. */
export const SPECIAL_LABELS = [
  'internet-plus-inspection',
  'business-env-supervisor',
  'gov-website-message',
  'enterprise-service-line',
] as const;
/** A special label of 第十三条. */
export type SpecialLabel = (typeof SPECIAL_LABELS)[number];

/**
 * 第十一条(一): the urgency labels 特急/紧急/急 are defined for 12345 tickets (including 12328 phone tickets); the
 * channels of 第十一条(二)(三) have none.
 */
export function carriesUrgencyLabels(channel: Channel): boolean {
  return channel === '12345';
}

/** 第十三条: the special labels are attached by the 12345 platform (“12345热线平台转办的带有…特殊标签的工单”). */
export function carriesSpecialLabels(channel: Channel): boolean {
  return channel === '12345';
}

/** Return (退单) grounds of 第八条(三)1–5. */
export const RETURN_GROUNDS = ['not-our-duty', 'incomplete-info', 'repeat', 'knowledge-base', 'legal-process'] as const;
/** A return ground of 第八条(三)1–5. */
export type ReturnGround = (typeof RETURN_GROUNDS)[number];

/** Chinese names, for messages and the UI. */
export const CHANNEL_NAMES: Record<Channel, string> = {
  '12345': '12345热线（含12328电话）',
  '12328-wechat': '12328热线微信公众号、小程序',
  zmlj: '《政民零距离》栏目',
};
/** 第十一条(一): Chinese names of the urgency labels. */
export const URGENCY_NAMES: Record<Urgency, string> = { critical: '特急', urgent: '紧急', expedited: '急' };
/** 第十三条: the special labels as the platform writes them. */
export const SPECIAL_LABEL_NAMES: Record<SpecialLabel, string> = {
  'internet-plus-inspection': '【互联网+督查】',
  'business-env-supervisor': '【营商环境监督员】',
  'gov-website-message': '【中国政府网留言】',
  'enterprise-service-line': '【转接企业营商服务专线】',
};

/** Whether `category` belongs to `channel`'s family (第十一条). */
export function isCategoryOfChannel(channel: Channel, category: string): category is Category {
  return (CATEGORIES_BY_CHANNEL[channel] as readonly string[]).includes(category);
}

/**
 * 第十四条(二) "咨询类工单": the consultation-type category of each channel family — 12345 咨询, 12328 WeChat 信息咨询,
 * 政民零距离 咨询.
 */
export const CONSULTATION_CATEGORIES = {
  '12345': 'consultation',
  '12328-wechat': 'information',
  zmlj: 'consultation',
} as const satisfies Record<Channel, Category>;

/** 第十四条(二): whether `category` is the consultation-type category of `channel`. */
export function isConsultationCategory(channel: Channel, category: string): boolean {
  return CONSULTATION_CATEGORIES[channel] === category;
}

/** Chinese names of the categories, per channel family (第十一条(一)–(三)). */
export const CATEGORY_NAMES: { [C in Channel]: Record<(typeof CATEGORIES_BY_CHANNEL)[C][number], string> } = {
  '12345': { consultation: '咨询类', request: '办理类', suggestion: '建议类', complaint: '投诉类', report: '举报类' },
  '12328-wechat': { information: '信息咨询类', suggestion: '意见建议类', complaint: '投诉举报类' },
  zmlj: { consultation: '咨询类', help: '求助类', suggestion: '建议类', feedback: '反馈类', complaint: '投诉类' },
};

/** Return ground names of 第八条(三)1–5. */
export const RETURN_GROUND_NAMES: Record<ReturnGround, string> = {
  'not-our-duty': '非本单位职责',
  'incomplete-info': '工单信息要素不全或有误',
  repeat: '重复反映',
  'knowledge-base': '知识库已有公示信息',
  'legal-process': '已进入信访、诉讼、仲裁程序',
};

/**
 * A rule that applies (a supervision trigger, a revisit exemption, an appeal exclusion …): the same shape as a
 * `Violation` without a field. `reason` is a Chinese sentence.
 */
export interface Finding {
  rule: string;
  article: string;
  reason: string;
}

/**
 * One broken rule. `rule` is a stable identifier (e.g. `return.window-24h`), `article` the article it implements
 * (e.g. `第八条(三)1`), `reason` a sentence for the person whose decision was refused.
 */
export interface Violation {
  rule: string;
  article: string;
  reason: string;
  /** The input field the violation is about, when there is one (e.g. `evidence.transferee`). */
  field?: string;
}

/** A rule's verdict: every violation at once, never only the first. */
export type Verdict = { ok: true } | { ok: false; violations: Violation[] };

/** The verdict of a decision that breaks no rule (第八条, 第十四条, 第十六条 …). */
export const OK: Verdict = Object.freeze({ ok: true }) as Verdict;

/** Builds a verdict from a list of violations (empty → ok); every rule of 第八条–第三十一条 answers with one. */
export function verdict(violations: Violation[]): Verdict {
  return violations.length === 0 ? OK : { ok: false, violations };
}
