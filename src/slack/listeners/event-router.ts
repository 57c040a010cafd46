import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';

export type SlackEventHandler<T extends string> = (
  args: SlackEventMiddlewareArgs<T> & AllMiddlewareArgs,
) => Promise<void>;

/** Where Events API listeners register: one handler per event type. */
export interface SlackEvents {
  on<T extends string>(type: T, handler: SlackEventHandler<T>): void;
}

/**
 * All of Lore's Events API listeners behind one Bolt listener. Bolt runs every registered listener's
 * middleware chain for every request (copying the arguments for each step), so one `app.event` per type
 * made each delivery pay for all the others; routing by type in a map costs one lookup. See BENCHMARKS.md
 * ("event-ack").
 */
export function createEventRouter(app: App): SlackEvents {
  const handlers = new Map<string, SlackEventHandler<string>>();
  app.event(/.*/, async (args) => {
    await handlers.get(args.event.type)?.(args);
  });
  return {
    on(type, handler) {
      if (handlers.has(type)) throw new Error(`a listener for Slack event "${type}" is registered already`);
      handlers.set(type, handler as unknown as SlackEventHandler<string>);
    },
  };
}
