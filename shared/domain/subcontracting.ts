/**
 * Sub-contracting rules (pure), one module per reason to change, under `./subcontracting/`:
 *
 * - `dates` – calendar dates and quarters;
 * - `money` – pounds to pence, exactly, and the bounds on amounts;
 * - `contract-drafts` – contracts registered directly;
 * - `supply-chain` – the sub-contractors a prime declares;
 * - `lines` – a return's lines, their identity (sub-contractor + invoice ref) and content hash;
 * - `reading` – CSV text into candidate lines (csv-parse, bounded);
 * - `line-rules` – the rules every line must meet;
 * - `line-issues` – a refusal's problems as reported (capped);
 * - `figure-sums` – the raw sums figures are made of, and their bound;
 * - `targets` – contract value and targets;
 * - `rollups` – the figures maintained on write (contract and regions);
 * - `figures` – the figures as reported (percentages on read).
 *
 * This module re-exports them all for callers that want one import; new code imports the module it needs
 * (a smaller bundle: only `reading` brings in csv-parse).
 */
export * from './subcontracting/contract-drafts';
export * from './subcontracting/dates';
export * from './subcontracting/figure-sums';
export * from './subcontracting/figures';
export * from './subcontracting/line-issues';
export * from './subcontracting/line-rules';
export * from './subcontracting/lines';
export * from './subcontracting/money';
export * from './subcontracting/reading';
export * from './subcontracting/rollups';
export * from './subcontracting/supply-chain';
export * from './subcontracting/targets';
