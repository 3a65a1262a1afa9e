/** The byte-budget solver (pure of Electron): see solve.ts. */
export { chainFor, solveBudget, type BudgetProgress, type BudgetRequest, type BudgetSample } from './solve'
