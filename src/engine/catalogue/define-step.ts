import type { Appliance, Phase, Verification } from '../constants.js';
import type { Prerequisite, StepCheck, StepDefinition } from '../types.js';

interface StepFields {
  key: string;
  title: string;
  instructions: string;
  phase: Phase;
  appliance?: Appliance | null;
  critical?: boolean;
  skippable?: boolean;
  software?: 'base' | 'site' | null;
  install?: boolean;
  checks?: StepCheck[];
  verification?: Verification | null;
}

/** A step with no prerequisites yet; plan builders add the edges, each labelled with its rule. */
export function defineStep(fields: StepFields): StepDefinition {
  return {
    appliance: null,
    critical: false,
    skippable: false,
    software: null,
    install: false,
    checks: [],
    verification: null,
    ...fields,
    prerequisites: [],
  };
}

export function requires(step: StepDefinition, ...prerequisites: Prerequisite[]): StepDefinition {
  for (const prerequisite of prerequisites) {
    const known = step.prerequisites.some((p) => p.step === prerequisite.step);
    if (!known) step.prerequisites.push(prerequisite);
  }
  return step;
}

/** Human name of an appliance as used in step titles. */
export function applianceLabel(appliance: Appliance): string {
  switch (appliance) {
    case 'a':
      return 'A';
    case 'b':
      return 'B';
    case 'old':
      return 'the current appliance';
    case 'new':
      return 'the new appliance';
  }
}
