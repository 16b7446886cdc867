/** Placeholder router, filled in by the month's work (issue 10). */
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Db } from '../lib/db';
import type { Parameters } from '../rules/parameters';
import type { TicketService } from './ticket-service';

export interface AppealsRouterDeps {
  db: Db;
  client: Client;
  tickets: TicketService;
  params: Parameters;
}

export function appealsRouter(_deps: AppealsRouterDeps): Router {
  return Router();
}
