import type { Logger } from './logging/logger.js';

/**
 * Last line of defence: an error nobody caught is logged and audited (when `audit` can reach the
 * database) instead of ending the process, so one bad request never stops the bot for everyone.
 * Returns a function that removes the guard again.
 */
export function guardProcess(
  logger: Logger,
  audit: (kind: string, error: unknown) => Promise<void>,
): () => void {
  const report = (kind: 'unhandled-rejection' | 'uncaught-exception') => (error: unknown) => {
    logger.error({ err: error, kind }, 'an error escaped every handler; the bot keeps serving');
    audit(kind, error).catch((auditError: unknown) =>
      logger.error({ err: auditError }, 'could not audit an escaped error'),
    );
  };
  const onRejection = report('unhandled-rejection');
  const onException = report('uncaught-exception');
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
