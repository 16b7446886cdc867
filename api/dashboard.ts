/**
 * The division's dashboard (第二十四条–第三十二条, 委政务服务处's month on one page), served at `/dashboard`.
 *
 * The page is static (api/dashboard/: HTML, CSS, a script, and Apache ECharts from the npm package) and reads the same
 * /api/v1 routes every other client reads, with the same bearer token: the figures are `GET /statistics`, the lists
 * `GET /tickets?overdue=true` and `?supervised=true`, the month's deadlines `GET /filings` and `GET /appeal-packages`,
 * the candidates `GET /circulars/candidates`. What a caller sees is what those routes let them see: a unit's leader
 * their own unit, 委政务服务处 every unit. Nothing here decides access.
 *
 * Sign-in takes a bearer token. For local runs (`devSignIn` set: not in production, HS256 tokens) a development
 * sign-in mints one with the key `npm run token` uses, for a unit and roles picked on the page.
 */
import path from 'node:path';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../lib/db';
import type { TicketStatus } from '../rules/lifecycle';
import { SUPERVISION_TRIGGER_ARTICLES } from '../rules/statistics';
import { RETURN_GROUND_NAMES } from '../rules/types';
import { mintToken, ROLES, type Role } from './auth';
import { BadRequest, DomainError } from './errors';

/** The signing key of local runs (lib/config.ts: never in production). */
export interface DevSignIn {
  secret: string;
  issuer: string;
  audience: string;
}

export interface DashboardDeps {
  db: Db;
  devSignIn?: DevSignIn;
}

const ASSETS = path.join(__dirname, 'dashboard');
const ECHARTS = path.join(path.dirname(require.resolve('echarts/package.json')), 'dist', 'echarts.min.js');

/** The roles a development sign-in may pick: the dashboard is for leaders and 委政务服务处. */
export const devSignInBody = z
  .object({
    unit: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a unit id'),
    roles: z.array(z.enum(ROLES)).min(1, 'must name at least one role').max(ROLES.length),
    name: z.string().trim().min(1).max(50).optional(),
  })
  .strict();

/** The Chinese names the page writes for the API's ids. */
export const TICKET_STATUS_NAMES: Record<TicketStatus, string> = {
  dispatched: '待接单',
  accepted: '已接单',
  assigned: '办理中',
  contacted: '已联系反映人',
  'reply-drafted': '答复待审核',
  'reply-approved': '答复已审核',
  closed: '已办结',
  returned: '已退单',
  withdrawn: '平台已收回',
};

export const ROLE_NAMES: Record<Role, string> = {
  dispatcher: '平台派单',
  acceptor: '受理部门',
  handler: '办理部门',
  reviewer: '审核人',
  leader: '单位领导',
  revisitor: '回访人员',
  supervisor: '委政务服务处督办',
  admin: '管理员',
  auditor: '审计（只读）',
};

const DASHBOARD_NAMES = {
  statusNames: TICKET_STATUS_NAMES,
  roleNames: ROLE_NAMES,
  returnGroundNames: RETURN_GROUND_NAMES,
  supervisionTriggers: SUPERVISION_TRIGGER_ARTICLES,
};

export function dashboardRouter({ db, devSignIn }: DashboardDeps): Router {
  const router = Router();
  const page = (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(path.join(ASSETS, 'index.html'));
  };
  router.get('/dashboard', page);
  router.get('/dashboard/', page);
  router.get('/dashboard/app.js', (_req, res) => res.type('js').sendFile(path.join(ASSETS, 'app.js')));
  router.get('/dashboard/app.css', (_req, res) => res.type('css').sendFile(path.join(ASSETS, 'app.css')));
  router.get('/dashboard/assets/echarts.min.js', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.type('js').sendFile(ECHARTS);
  });

  /** What the page needs before sign-in: whether a development sign-in is offered, and then the units to pick. */
  router.get('/dashboard/config.json', async (_req, res) => {
    const units = devSignIn ? await db.unit.findMany({ where: { parentId: null, active: true }, select: { id: true, name: true, kind: true }, orderBy: { id: 'asc' } }) : [];
    res.setHeader('Cache-Control', 'no-store');
    res.json({ devSignIn: devSignIn !== undefined, units, ...DASHBOARD_NAMES });
  });

  router.post('/dashboard/dev-sign-in', async (req, res) => {
    if (!devSignIn) throw new DomainError(404, 'Not Found', 'the development sign-in is off (production, or tokens verified with a public key)');
    const body = devSignInBody.parse(req.body ?? {});
    const unit = await db.unit.findUnique({ where: { id: body.unit }, select: { id: true, name: true } });
    if (!unit) throw new BadRequest('the request is invalid', [{ field: 'unit', message: `no unit ${body.unit}` }]);
    const token = await mintToken(devSignIn, { userId: `dev:${unit.id}:${body.roles.join('-')}`, unitId: unit.id, roles: body.roles, name: body.name ?? `${unit.name}（开发登录）` }, '8h');
    res.json({ token });
  });
  return router;
}
