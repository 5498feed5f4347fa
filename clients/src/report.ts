/**
 * @temper/clients/report: the report as the CLI writes it (summaries and JUnit XML), for other
 * front ends (the web app downloads the same JUnit file `temper report --junit` writes). Browser-safe:
 * these modules touch no Node built-in and no terminal.
 */
export { junitXml } from './cli/junit.ts';
export { formatReport, reportJson, summarizeEvaluation, summarizeJob, type EpsSummary, type EvaluationSummary, type JobSummary, type StageSummary } from './cli/report.ts';
