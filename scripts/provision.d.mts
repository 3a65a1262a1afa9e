export type Target = 'test' | 'start'
export type Plan =
  | { action: 'none' }
  | { action: 'install'; commands: string[][] }
  | { action: 'stop' | 'warn'; message: string; command?: string }
export declare const TOOLS: Record<string, { pkg: string; why: string }>
export declare const NEEDS: Record<Target, { tools: string[]; required: boolean }>
export declare function planProvision(facts: { target: Target; missing: string[]; isRoot: boolean; hasSudo: boolean; hasApt: boolean }): Plan
export declare function onPath(name: string, env?: NodeJS.ProcessEnv): boolean
export declare function provision(target: Target, env?: NodeJS.ProcessEnv): number
