/** Placeholder router, filled in by the after-closure work (issue 9). */
import { Router } from 'express';
import type { Db } from '../lib/db';
import type { TicketService } from './ticket-service';

export interface RevisitsRouterDeps {
  db: Db;
  tickets: TicketService;
}

export function revisitsRouter(_deps: RevisitsRouterDeps): Router {
  return Router();
}
