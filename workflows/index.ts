/** Workflow entry points registered on the worker. */
export { ticketWorkflow } from './ticket';
export { revisitSamplingWorkflow } from './revisit-sampling';
