// The Renderer the services use: every method is a pure function of its arguments.
import type { DateTime } from 'luxon';
import type {
  RenderedMessage,
  RenderedView,
  Renderer,
  ReplyData,
  UpgradeSnapshot,
} from '../../services/ports/slack.js';
import type { Notice, Reply } from '../../services/shared/outbox-messages.js';
import { channelName } from './channel-name.js';
import { homeView } from './home.js';
import { noticeMessage } from './notice.js';
import { overviewMessage } from './overview.js';
import { replyMessage } from './replies.js';
import { OVERVIEW_SLOT, runbookMessage, runbookSlots } from './runbook.js';
import { topic } from './topic.js';

export function createRenderer(): Renderer {
  return {
    channelName: (snapshot: UpgradeSnapshot, attempt: number): string => channelName(snapshot, attempt),
    topic: (snapshot: UpgradeSnapshot): string => topic(snapshot),
    runbookSlots: (snapshot: UpgradeSnapshot): string[] => runbookSlots(snapshot),
    slotMessage: (snapshot: UpgradeSnapshot, slot: string, now: DateTime): RenderedMessage | null =>
      slot === OVERVIEW_SLOT ? overviewMessage(snapshot, now) : runbookMessage(snapshot, slot),
    notice: (snapshot: UpgradeSnapshot, notice: Notice, now: DateTime): RenderedMessage =>
      noticeMessage(snapshot, notice, now),
    reply: (reply: Reply, data: ReplyData, now: DateTime): RenderedMessage => replyMessage(reply, data, now),
    home: (userId: string, upgrades: UpgradeSnapshot[], now: DateTime): RenderedView =>
      homeView(userId, upgrades, now),
  };
}
