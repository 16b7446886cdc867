/**
 * The knowledge base and the monthly reports (第二十九条–第三十二条).
 *
 * - Entries (第二十九条–第三十条): a unit's staff write the entries of the policies their unit issues ("谁制定、谁解读，
 *   谁提供、谁维护"): title, body, the maintainer, the related policy and its planned release. Every write is a version
 *   (KnowledgeEntryVersion). A write less than one day (parameter `knowledgeBaseLeadHours`) before the policy's release
 *   — or one that brings the policy in after it — is flagged `lateForRelease`, and the unit and 委政务服务处 are notified
 *   (第二十九条). A change of maintainer is recorded (MaintainerChange) and reported to 委政务服务处 (第三十条). Everyone
 *   reads the knowledge base; search matches every whitespace-separated term in the title or the body (PostgreSQL
 *   ILIKE, so Chinese text matches by substring, no word segmentation needed).
 * - Monthly filings (第三十一条): each owing unit of the unit table confirms its knowledge-base report (for the previous
 *   month) and training report (for this month), with nothing new too; the list shows who has not filed. The month's
 *   obligations, reminders and late marks are monthlyFilingsWorkflow's (workflows/monthly-filings.ts).
 * - Sealed material (第三十二条): the other units send their knowledge-base and training material, sealed, to
 *   委政务服务处 at any time; it is recorded and 委政务服务处 is notified.
 *
 * Notifications go to the outbox in the same transaction as the change; `deliverNotificationsWorkflow` delivers them
 * when the router knows the worker's task queue.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../lib/db';
import type { KnowledgeEntry, KnowledgeEntryVersion, MaintainerChange, MonthlyFiling, Prisma, SealedMaterial } from '../generated/prisma/client';
import { fileMonthlyReport, filingFacts, owingUnits, REPORT_NAMES } from '../activities/filings';
import { loadCalendar } from '../lib/calendar-store';
import { checkKnowledgeBaseEdit, knowledgeBaseUpdateDueAt, type KnowledgeBaseEditCheck } from '../rules/knowledge-base';
import { SERVICE_DIVISION_UNIT } from '../rules/lifecycle';
import {
  isMonthlyDeadlineMissed,
  MONTHLY_FILING_KINDS,
  monthlyFilingDeadlines,
  monthlyFilingObligations,
  FILING_ID,
  type MonthlyFilingDeadline,
} from '../rules/monthly';
import type { Parameters } from '../rules/parameters';
import type { Violation } from '../rules/types';
import { deliverNotificationsWorkflow } from '../workflows/monthly-filings';
import { principalOf, requireRole, type Principal, type Role } from './auth';
import { BadRequest, DecisionRefused, NotFound } from './errors';
import { calendarInstant, monthKey } from './schemas';
import type { TicketService } from './ticket-service';
import { decodeIdCursor, encodeIdCursor } from './id-cursor';

export interface KnowledgeRouterDeps {
  db: Db;
  client: Client;
  tickets: TicketService;
  params: Parameters;
  /** The worker's task queue: notifications queued here are delivered by a workflow on it (else they wait in the outbox). */
  taskQueue?: string;
}

/** A unit's staff write its knowledge base, file its reports and send its sealed material. */
export const KNOWLEDGE_WRITERS: readonly Role[] = ['acceptor', 'handler', 'leader', 'admin'];

// ---------------------------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------------------------

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
const userId = z
  .string()
  .trim()
  .regex(/^[\p{L}\p{N}_.@-]{1,64}$/u, 'must be a user id: 1–64 letters, digits, "_", ".", "@" or "-"');
const unitIdPattern = /^[a-z0-9][a-z0-9-]{0,63}$/;
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(item).min(1).max(20));

/** `POST /knowledge`: a new entry of the caller's unit; the maintainer is the caller unless named. */
export const knowledgeCreateBody = z
  .object({
    title: text(200),
    body: text(20_000),
    maintainer: userId.optional(),
    policyTitle: text(200).optional(),
    /** 第二十九条: the policy's planned release (正式发布). */
    policyReleaseAt: calendarInstant.optional(),
  })
  .strict();
export type KnowledgeCreateBody = z.infer<typeof knowledgeCreateBody>;

/**
 * `PUT /knowledge/:id`: the entry's new version — title and body in full; the maintainer and the policy unchanged when
 * absent (`null` clears the policy); `version`, when given, must be the version being replaced (else 409).
 */
export const knowledgeUpdateBody = z
  .object({
    title: text(200),
    body: text(20_000),
    maintainer: userId.optional(),
    policyTitle: text(200).nullable().optional(),
    policyReleaseAt: calendarInstant.nullable().optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type KnowledgeUpdateBody = z.infer<typeof knowledgeUpdateBody>;

/** Whitespace and the Chinese list punctuation separate search terms. */
const TERM_SEPARATORS = /[\s\u3000,，、;；]+/u;

export const knowledgeListQuery = z
  .object({
    /** Terms, each matched in the title or the body (all must match). */
    q: z
      .string()
      .max(200, 'must be at most 200 characters')
      .refine((q) => q.split(TERM_SEPARATORS).filter(Boolean).length <= 10, 'must have at most 10 terms')
      .optional(),
    unit: list(z.string().regex(unitIdPattern, 'must be a unit id')).optional(),
    lateForRelease: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

export const entryParams = z.object({ id: z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be the id of a knowledge-base entry') });

/** `POST /filings/:id`: the report is filed on the 12345 platform (第三十一条); with nothing new too (第三十一条(三)). */
export const filingBody = z
  .object({
    nothingNew: z.boolean(),
    note: text(2000).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (!b.nothingNew && b.note === undefined)
      ctx.addIssue({ code: 'custom', path: ['note'], message: 'say what the report contains (or file it with nothingNew: true), 第三十一条(三)' });
  });
export type FilingBody = z.infer<typeof filingBody>;

export const filingsQuery = z
  .object({
    /** The month the reports are filed in (the knowledge-base report of the month before, the training report of this one). */
    month: monthKey,
    unit: list(z.string().regex(unitIdPattern, 'must be a unit id')).optional(),
    kind: z.enum(MONTHLY_FILING_KINDS).optional(),
  })
  .strict();

export const filingParams = z.object({ id: z.string().regex(FILING_ID, 'must be a filing id <unitId>:<knowledge-base|training>:<YYYY-MM>') });

/** 第三十二条: knowledge-base or training material. */
export const SEALED_MATERIAL_KINDS = ['knowledge-base', 'training'] as const;

/** `POST /sealed-materials`: sealed material sent to 委政务服务处 (第三十二条). */
export const sealedMaterialBody = z
  .object({
    kind: z.enum(SEALED_MATERIAL_KINDS),
    title: text(200),
    /** The sealed document's reference (文号 or the archive's id). */
    documentRef: text(100),
  })
  .strict();

export const sealedMaterialsQuery = z
  .object({
    unit: list(z.string().regex(unitIdPattern, 'must be a unit id')).optional(),
    kind: z.enum(SEALED_MATERIAL_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();

// ---------------------------------------------------------------------------------------------------------------
// Views
// ---------------------------------------------------------------------------------------------------------------

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function knowledgeEntryView(row: KnowledgeEntry, params: Parameters) {
  return {
    id: row.id.toString(),
    unitId: row.unitId,
    title: row.title,
    body: row.body,
    maintainer: row.maintainer,
    policyTitle: row.policyTitle,
    policyReleaseAt: iso(row.policyReleaseAt),
    /** 第二十九条: the latest on-time update for the policy's release. */
    updateDueAt: row.policyReleaseAt ? knowledgeBaseUpdateDueAt(row.policyReleaseAt, params).toISOString() : null,
    lateForRelease: row.lateForRelease,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function versionView(v: KnowledgeEntryVersion) {
  return { version: v.version, title: v.title, body: v.body, maintainer: v.maintainer, editedBy: v.editedBy, editedAt: v.editedAt.toISOString() };
}

function maintainerChangeView(c: MaintainerChange) {
  return { fromUser: c.fromUser, toUser: c.toUser, changedBy: c.changedBy, changedAt: c.changedAt.toISOString() };
}


function deadlineView(d: MonthlyFilingDeadline) {
  return {
    report: REPORT_NAMES[d.kind],
    assessmentMonth: d.assessmentMonth,
    nominalLastDay: d.nominalLastDay,
    dueDate: d.dueDate,
    dueAt: d.dueAt.toISOString(),
    remindAt: d.remindAt.toISOString(),
    moved: d.moved,
    provisional: d.provisional,
    article: d.article,
  };
}

/** A filing as the API shows it: a row, or an obligation the month's workflow has not opened yet (`opened: false`). */
export function filingView(row: Pick<MonthlyFiling, 'id' | 'unitId' | 'kind' | 'month' | 'dueAt'> & Partial<MonthlyFiling>, opened: boolean, now: Date) {
  const filed = row.filedAt != null;
  return {
    id: row.id,
    ...filingFacts(row),
    opened,
    filed,
    filedAt: iso(row.filedAt ?? null),
    filedBy: row.filedBy ?? null,
    nothingNew: row.nothingNew ?? false,
    note: row.note ?? null,
    reminded: row.reminded ?? false,
    /** Marked late by the month's workflow, or filed after the due time. */
    late: row.late ?? false,
    /** Not filed and past the due time (whether or not the workflow has marked it yet). */
    overdue: !filed && isMonthlyDeadlineMissed(row, now),
  };
}

function sealedMaterialView(m: SealedMaterial) {
  return { id: m.id.toString(), unitId: m.unitId, kind: m.kind, title: m.title, documentRef: m.documentRef, submittedBy: m.submittedBy, submittedAt: m.submittedAt.toISOString() };
}

// ---------------------------------------------------------------------------------------------------------------
// Notifications
// ---------------------------------------------------------------------------------------------------------------

type Notice = Prisma.NotificationCreateManyInput;

/** 第二十九条: the unit that maintains the entry and 委政务服务处 are told of a late entry. */
function lateNotices(entry: KnowledgeEntry, check: KnowledgeBaseEditCheck, at: Date): Notice[] {
  const payload = {
    entryId: entry.id.toString(),
    version: entry.version,
    unitId: entry.unitId,
    title: entry.title,
    maintainer: entry.maintainer,
    policyTitle: entry.policyTitle,
    policyReleaseAt: iso(entry.policyReleaseAt),
    updateDueAt: iso(check.dueAt),
    updatedAt: at.toISOString(),
    article: '第二十九条',
  };
  const base = `knowledge-late:${entry.id}:${entry.version}`;
  return [
    { idempotencyKey: `${base}:unit`, kind: 'knowledge-late-for-release', recipientRole: 'unit', recipientUnit: entry.unitId, payload },
    { idempotencyKey: `${base}:service-division`, kind: 'knowledge-late-for-release', recipientRole: 'service-division', recipientUnit: SERVICE_DIVISION_UNIT, payload },
  ];
}

/** 委政务服务处 sees every unit's filings and material; a unit its own. */
const seesAllUnits = (p: Principal) => p.unitId === SERVICE_DIVISION_UNIT;

const refused = (kind: 'rule' | 'state', v: Violation) => new DecisionRefused(kind, v.reason, [v]);

// ---------------------------------------------------------------------------------------------------------------
// The router
// ---------------------------------------------------------------------------------------------------------------

export function knowledgeRouter({ db, client, params, taskQueue }: KnowledgeRouterDeps): Router {
  const router = Router();

  /** Delivers outbox rows queued by a request (a workflow per change; the rows wait in the outbox without a task queue). */
  async function deliver(workflowId: string, keys: string[]): Promise<void> {
    if (keys.length === 0 || !taskQueue) return;
    try {
      await client.workflow.start(deliverNotificationsWorkflow, { taskQueue, workflowId, args: [{ keys }] });
    } catch (err) {
      // Already delivering (a retried request): nothing to do. Temporal unreachable: the change is made and its
      // notifications stay pending in the outbox, as the transaction wrote them.
      if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    }
  }

  async function entryDetail(id: bigint) {
    const entry = await db.knowledgeEntry.findUnique({ where: { id }, include: { versions: { orderBy: { version: 'asc' } } } });
    if (!entry) throw new NotFound(`knowledge-base entry ${id}`);
    const changes = await db.maintainerChange.findMany({ where: { entryId: id }, orderBy: { id: 'asc' } });
    return { ...knowledgeEntryView(entry, params), versions: entry.versions.map(versionView), maintainerChanges: changes.map(maintainerChangeView) };
  }

  // ---- entries ----

  router.get('/knowledge', async (req: Request, res: Response) => {
    const q = knowledgeListQuery.parse(req.query);
    const where: Prisma.KnowledgeEntryWhereInput[] = [];
    for (const term of (q.q ?? '').split(TERM_SEPARATORS).filter(Boolean)) {
      // ILIKE '%term%': the pattern's own characters (%, _ and the escape \) are escaped, so a term is plain text.
      const literal = term.replace(/[\\%_]/g, (c) => `\\${c}`);
      where.push({ OR: [{ title: { contains: literal, mode: 'insensitive' } }, { body: { contains: literal, mode: 'insensitive' } }] });
    }
    if (q.unit) where.push({ unitId: { in: q.unit } });
    if (q.lateForRelease !== undefined) where.push({ lateForRelease: q.lateForRelease });
    if (q.cursor) where.push({ id: { lt: decodeIdCursor(q.cursor) } });
    const rows = await db.knowledgeEntry.findMany({ where: { AND: where }, orderBy: { id: 'desc' }, take: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    res.json({ items: page.map((r) => knowledgeEntryView(r, params)), nextCursor: rows.length > q.limit && last ? encodeIdCursor(last.id) : null });
  });

  router.get('/knowledge/:id', async (req: Request, res: Response) => {
    res.json(await entryDetail(BigInt(entryParams.parse(req.params).id)));
  });

  router.post('/knowledge', requireRole(...KNOWLEDGE_WRITERS), async (req: Request, res: Response) => {
    const p = principalOf(req);
    const body = knowledgeCreateBody.parse(req.body);
    const at = new Date();
    const releaseAt = body.policyReleaseAt ? new Date(body.policyReleaseAt) : null;
    const check = checkKnowledgeBaseEdit({ at, releaseAt, policyChanged: true }, params);
    const late = check.applies && !check.verdict.ok;
    const maintainer = body.maintainer ?? p.userId;
    const { entry, notices } = await db.$transaction(async (tx) => {
      const entry = await tx.knowledgeEntry.create({
        data: { unitId: p.unitId, title: body.title, body: body.body, maintainer, policyTitle: body.policyTitle ?? null, policyReleaseAt: releaseAt, lateForRelease: late, version: 1, createdAt: at },
      });
      await tx.knowledgeEntryVersion.create({ data: { entryId: entry.id, version: 1, title: entry.title, body: entry.body, maintainer, editedBy: p.userId, editedAt: at } });
      const notices = late ? lateNotices(entry, check, at) : [];
      if (notices.length > 0) await tx.notification.createMany({ data: notices, skipDuplicates: true });
      return { entry, notices };
    });
    await deliver(`knowledge-notices:${entry.id}:1`, notices.map((n) => n.idempotencyKey));
    res.status(201).json({ ...(await entryDetail(entry.id)), violations: check.verdict.ok ? [] : check.verdict.violations });
  });

  router.put('/knowledge/:id', requireRole(...KNOWLEDGE_WRITERS), async (req: Request, res: Response) => {
    const p = principalOf(req);
    const id = BigInt(entryParams.parse(req.params).id);
    const body = knowledgeUpdateBody.parse(req.body);
    const current = await db.knowledgeEntry.findUnique({ where: { id } });
    if (!current) throw new NotFound(`knowledge-base entry ${id}`);
    // 第二十九条 "谁制定、谁解读，谁提供、谁维护": the unit that provides the entry maintains it.
    if (current.unitId !== p.unitId)
      throw refused('rule', { rule: 'knowledge.owner', article: '第二十九条', reason: `知识库条目由提供单位（${current.unitId}）维护（谁提供、谁维护）`, field: 'id' });
    if (body.version !== undefined && body.version !== current.version)
      throw refused('state', { rule: 'knowledge.version', article: '第二十九条', reason: `该条目已更新至第${current.version}版，请基于最新版本修改`, field: 'version' });

    const next = {
      title: body.title,
      body: body.body,
      maintainer: body.maintainer ?? current.maintainer,
      policyTitle: body.policyTitle === undefined ? current.policyTitle : body.policyTitle,
      policyReleaseAt: body.policyReleaseAt === undefined ? current.policyReleaseAt : body.policyReleaseAt === null ? null : new Date(body.policyReleaseAt),
    };
    const policyChanged = next.policyTitle !== current.policyTitle || next.policyReleaseAt?.getTime() !== current.policyReleaseAt?.getTime();
    const unchanged = !policyChanged && next.title === current.title && next.body === current.body && next.maintainer === current.maintainer;
    if (unchanged) return res.json({ ...(await entryDetail(id)), violations: [] });

    const at = new Date();
    const check = checkKnowledgeBaseEdit({ at, releaseAt: next.policyReleaseAt, policyChanged }, params);
    const lateForRelease = check.applies ? !check.verdict.ok : next.policyReleaseAt ? current.lateForRelease : false;
    const version = current.version + 1;
    const maintainerChanged = next.maintainer !== current.maintainer;

    const { entry, notices } = await db.$transaction(async (tx) => {
      const done = await tx.knowledgeEntry.updateMany({ where: { id, version: current.version }, data: { ...next, lateForRelease, version, updatedAt: at } });
      if (done.count === 0) throw refused('state', { rule: 'knowledge.version', article: '第二十九条', reason: '该条目刚被他人更新，请基于最新版本修改', field: 'version' });
      const entry = await tx.knowledgeEntry.findUniqueOrThrow({ where: { id } });
      await tx.knowledgeEntryVersion.create({ data: { entryId: id, version, title: next.title, body: next.body, maintainer: next.maintainer, editedBy: p.userId, editedAt: at } });
      const notices: Notice[] = check.applies && !check.verdict.ok ? lateNotices(entry, check, at) : [];
      if (maintainerChanged) {
        // 第三十条: the change of maintainer is recorded and reported to 委政务服务处.
        await tx.maintainerChange.create({ data: { unitId: current.unitId, entryId: id, fromUser: current.maintainer, toUser: next.maintainer, changedBy: p.userId, changedAt: at } });
        notices.push({
          idempotencyKey: `knowledge-maintainer:${id}:${version}`,
          kind: 'knowledge-maintainer-changed',
          recipientRole: 'service-division',
          recipientUnit: SERVICE_DIVISION_UNIT,
          payload: { entryId: id.toString(), version, unitId: current.unitId, title: next.title, fromUser: current.maintainer, toUser: next.maintainer, changedBy: p.userId, changedAt: at.toISOString(), article: '第三十条' },
        });
      }
      if (notices.length > 0) await tx.notification.createMany({ data: notices, skipDuplicates: true });
      return { entry, notices };
    });
    await deliver(`knowledge-notices:${entry.id}:${version}`, notices.map((n) => n.idempotencyKey));
    res.json({ ...(await entryDetail(id)), violations: check.verdict.ok ? [] : check.verdict.violations });
  });

  // ---- monthly filings (第三十一条) ----

  router.get('/filings', async (req: Request, res: Response) => {
    const p = principalOf(req);
    const q = filingsQuery.parse(req.query);
    const now = new Date();
    const calendar = await loadCalendar(db);
    const deadlines = monthlyFilingDeadlines(q.month, calendar, params);
    const obligations = monthlyFilingObligations(q.month, await owingUnits(db), calendar, params);
    const rows = await db.monthlyFiling.findMany({
      where: { OR: MONTHLY_FILING_KINDS.map((kind) => ({ kind, month: deadlines[kind].assessmentMonth })) },
      orderBy: { id: 'asc' },
    });
    const opened = new Set(rows.map((r) => r.id));
    const all = [
      ...rows.map((r) => filingView(r, true, now)),
      ...obligations.filter((o) => !opened.has(o.id)).map((o) => filingView({ id: o.id, unitId: o.unitId, kind: o.kind, month: o.assessmentMonth, dueAt: o.dueAt }, false, now)),
    ]
      .filter((f) => seesAllUnits(p) || f.unitId === p.unitId)
      .filter((f) => !q.unit || q.unit.includes(f.unitId))
      .filter((f) => !q.kind || f.kind === q.kind)
      .sort((a, b) => (a.kind === b.kind ? a.unitId.localeCompare(b.unitId) : a.kind === 'knowledge-base' ? -1 : 1));
    res.json({
      month: q.month,
      deadlines: { knowledgeBase: deadlineView(deadlines['knowledge-base']), training: deadlineView(deadlines.training) },
      filings: all,
      notFiled: all.filter((f) => !f.filed).map((f) => ({ id: f.id, unitId: f.unitId, kind: f.kind, dueAt: f.dueAt, overdue: f.overdue })),
    });
  });

  router.post('/filings/:id', requireRole(...KNOWLEDGE_WRITERS), async (req: Request, res: Response) => {
    const p = principalOf(req);
    const { id } = filingParams.parse(req.params);
    const body = filingBody.parse(req.body);
    const result = await fileMonthlyReport(db, params, { id, byUnit: p.unitId, by: p.userId, nothingNew: body.nothingNew, note: body.note, at: new Date() });
    if (!('refused' in result)) return res.json(filingView(result.filing, true, new Date()));
    switch (result.refused) {
      case 'not-found':
        throw new NotFound(`monthly filing ${id}`);
      case 'other-unit':
        throw refused('rule', { rule: 'monthly-filing.unit', article: '第三十一条', reason: `该月报由${result.unitId}自行在12345热线平台填报`, field: 'id' });
      case 'not-owing':
        throw refused('rule', {
          rule: 'monthly-filing.not-owing',
          article: '第三十二条',
          reason: '本单位不在第三十一条所列填报单位之列：知识库及培训相关信息加盖公章后报委政务服务处（第三十二条）',
          field: 'id',
        });
      case 'already-filed':
        throw refused('state', { rule: 'monthly-filing.state', article: '第三十一条', reason: `该月报已于${result.filing.filedAt?.toISOString()}填报`, field: 'id' });
    }
  });

  // ---- sealed material (第三十二条) ----

  router.post('/sealed-materials', requireRole(...KNOWLEDGE_WRITERS), async (req: Request, res: Response) => {
    const p = principalOf(req);
    const body = sealedMaterialBody.parse(req.body);
    if (p.unitId === SERVICE_DIVISION_UNIT)
      throw refused('rule', { rule: 'sealed-material.recipient', article: '第三十二条', reason: '盖章材料由其它委机关处室和委属单位报送委政务服务处', field: 'kind' });
    const { material, key } = await db.$transaction(async (tx) => {
      const material = await tx.sealedMaterial.create({ data: { unitId: p.unitId, kind: body.kind, title: body.title, documentRef: body.documentRef, submittedBy: p.userId } });
      const key = `sealed-material:${material.id}`;
      await tx.notification.createMany({
        data: [{ idempotencyKey: key, kind: 'sealed-material-submitted', recipientRole: 'service-division', recipientUnit: SERVICE_DIVISION_UNIT, payload: { ...sealedMaterialView(material), article: '第三十二条' } }],
        skipDuplicates: true,
      });
      return { material, key };
    });
    await deliver(key, [key]);
    res.status(201).json(sealedMaterialView(material));
  });

  router.get('/sealed-materials', async (req: Request, res: Response) => {
    const p = principalOf(req);
    const q = sealedMaterialsQuery.parse(req.query);
    const where: Prisma.SealedMaterialWhereInput[] = [];
    if (!seesAllUnits(p)) where.push({ unitId: p.unitId });
    if (q.unit) where.push({ unitId: { in: q.unit } });
    if (q.kind) where.push({ kind: q.kind });
    if (q.cursor) where.push({ id: { lt: decodeIdCursor(q.cursor) } });
    const rows = await db.sealedMaterial.findMany({ where: { AND: where }, orderBy: { id: 'desc' }, take: q.limit + 1 });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    res.json({ items: page.map(sealedMaterialView), nextCursor: rows.length > q.limit && last ? encodeIdCursor(last.id) : null });
  });

  return router;
}
