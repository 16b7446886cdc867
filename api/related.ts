/** Placeholder router, filled in by the after-closure work (issue 9). */
import { Router } from 'express';
import type { Db } from '../lib/db';
import type { TicketService } from './ticket-service';

export interface RelatedRouterDeps {
  db: Db;
  tickets: TicketService;
}

export function relatedRouter(_deps: RelatedRouterDeps): Router {
  return Router();
}
