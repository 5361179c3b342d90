// Slack's documented Block Kit limits (https://docs.slack.dev/reference/block-kit); builders cut text to these.

export const SLACK_LIMITS = {
  messageBlocks: 50,
  /** Modals and the Home tab. */
  viewBlocks: 100,
  blockId: 255,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  contextElements: 10,
  contextText: 2000,
  messageText: 4000,
  topic: 250,
  channelName: 80,
  modalTitle: 24,
  privateMetadata: 3000,
  overflowOptions: 5,
  optionText: 75,
  optionValue: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

/** Phase and step blocks per runbook message: room under the 50-block limit for the banner and part header. */
export const RUNBOOK_BLOCKS_PER_MESSAGE = 45;
