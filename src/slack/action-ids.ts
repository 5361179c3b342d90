// Action and callback ids: part of the contract between the messages the bot posts and its listeners.

export const ACTIONS = {
  completeStep: 'step.complete',
  claimStep: 'step.claim',
  skipStep: 'step.skip',
  reportProblem: 'step.problem',
  confirmCheck: 'step.check',
  undoStep: 'step.undo',
  /** "Confirm anyway…": the appliance could not be asked; opens the reason modal. */
  overrideStep: 'step.override',
  /** A done step's overflow menu; each option's value names the action it stands for. */
  stepMenu: 'step.menu',
  /** Only ever an option of the step menu: the step's instructions, to the chooser alone. */
  showInstructions: 'step.instructions',
  resolveProblem: 'problem.resolve',
  confirmSync: 'sync.confirm',
  /** Followed by `.<duration>` so each snooze button in a block has its own id. */
  snoozeReminder: 'reminder.snooze',
} as const;

export const VIEWS = {
  skipReason: 'skip.reason',
  problemReport: 'problem.report',
  problemResolution: 'problem.resolution',
  overrideReason: 'step.override.reason',
} as const;

/** Input block and action ids inside the modals. */
export const FIELDS = {
  reason: { block: 'reason', action: 'reason' },
  description: { block: 'description', action: 'description' },
  resolution: { block: 'resolution', action: 'resolution' },
} as const;

/** `step:<step key>` carries a step's buttons; the architecture contract lets a `:suffix` follow. */
export function stepBlockId(stepKey: string): string {
  return `step:${stepKey}`;
}

export function stepKeyFromBlockId(blockId: string): string | null {
  const match = /^step:([a-z0-9.-]+)(?::.*)?$/.exec(blockId);
  return match?.[1] ?? null;
}
