/** Workflow entry points registered on the worker. */
export { ticketWorkflow } from './ticket';
export { supervisionCaseWorkflow } from './supervision-case';
export { revisitSamplingWorkflow } from './revisit-sampling';
export { monthlyFilingsWorkflow, deliverNotificationsWorkflow } from './monthly-filings';
export { appealPackageWorkflow, openAppealPackagesWorkflow } from './appeal-package';
