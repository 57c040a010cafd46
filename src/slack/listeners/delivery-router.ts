import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  Middleware,
  SlackAction,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcut,
  SlackShortcutMiddlewareArgs,
  SlackViewAction,
  SlackViewMiddlewareArgs,
} from '@slack/bolt';

type Handler<Args> = (args: Args & AllMiddlewareArgs) => Promise<void>;
export type SlackEventHandler<T extends string> = Handler<SlackEventMiddlewareArgs<T>>;

/** Where Events API listeners register: one handler per event type. */
export interface SlackEvents {
  on<T extends string>(type: T, handler: SlackEventHandler<T>): void;
}

/**
 * Where the interactive listeners register, as on Bolt's App and matched by the same rules (Bolt's
 * matchConstraints and matchCommandName, for the exact ids Lore uses): a block action by its action_id, a
 * view submission by its view's callback_id, a shortcut by its callback_id and type, a slash command by
 * its name.
 */
export interface SlackInteractions {
  action<A extends SlackAction = SlackAction>(
    actionId: string,
    handler: Handler<SlackActionMiddlewareArgs<A>>,
  ): void;
  view<V extends SlackViewAction = SlackViewAction>(
    callbackId: string,
    handler: Handler<SlackViewMiddlewareArgs<V>>,
  ): void;
  shortcut<S extends SlackShortcut = SlackShortcut>(
    constraints: { callback_id: string; type: S['type'] },
    handler: Handler<SlackShortcutMiddlewareArgs<S>>,
  ): void;
  command(name: string, handler: Handler<SlackCommandMiddlewareArgs>): void;
}

export interface DeliveryRouter {
  events: SlackEvents;
  interactions: SlackInteractions;
  /** Bolt global middleware: register it last (after the gates and the Assistant). */
  middleware: Middleware<AnyMiddlewareArgs>;
}

type AnyHandler = Handler<AnyMiddlewareArgs>;
type Args = AnyMiddlewareArgs & AllMiddlewareArgs;

/** A shortcut is matched on both its type (global or message) and its callback_id. */
const shortcutKey = (type: string, callbackId: string | undefined) => `${type}:${callbackId}`;

/** Adds `key` to `map`, refusing a second listener for the same delivery. */
function add(map: Map<string, AnyHandler>, what: string, key: string, handler: unknown): void {
  if (map.has(key)) throw new Error(`a listener for Slack ${what} "${key}" is registered already`);
  map.set(key, handler as AnyHandler);
}

/**
 * All of Lore's Slack listeners behind one piece of Bolt global middleware. Bolt runs every registered
 * listener's middleware chain for every delivery (copying the arguments for each step), although a
 * delivery can only match one of them: with one `app.event`, `app.action`, `app.view`… per listener, each
 * event paid for a dozen chains that could never match (BENCHMARKS.md, "Issue 11"). Here a delivery costs
 * one lookup by its kind and id. Listeners get Bolt's own arguments (the same ones Bolt's listener stage
 * hands out). Every delivery then goes on to Bolt's listener stage, where Lore registers nothing: a listener
 * added on the App itself (a test's probe) still sees what passed the gates.
 */
export function createDeliveryRouter(): DeliveryRouter {
  const events = new Map<string, AnyHandler>();
  const actions = new Map<string, AnyHandler>();
  const views = new Map<string, AnyHandler>();
  const shortcuts = new Map<string, AnyHandler>();
  const commands = new Map<string, AnyHandler>();

  // The kind tests are Bolt's own (onlyEvents, onlyActions, onlyViewActions, onlyShortcuts, onlyCommands):
  // Bolt sets exactly one of these arguments, by the delivery's type.
  function pick(args: Args): AnyHandler | undefined {
    if ('event' in args && args.event) return events.get(args.event.type);
    if ('action' in args && args.action) {
      const id = (args.action as { action_id?: unknown }).action_id;
      return typeof id === 'string' ? actions.get(id) : undefined;
    }
    if ('view' in args && args.view) {
      // app.view(callbackId) takes submissions only, by the view's callback_id.
      return args.body.type === 'view_submission' ? views.get(args.view.callback_id) : undefined;
    }
    if ('shortcut' in args && args.shortcut) {
      const body = args.body as { type: string; callback_id?: string; view?: { callback_id?: string } };
      const callbackId = body.view ? body.view.callback_id : body.callback_id;
      return shortcuts.get(shortcutKey(body.type, callbackId));
    }
    if ('command' in args && args.command) return commands.get(args.command.command);
    return undefined;
  }

  return {
    events: {
      on: (type, handler) => add(events, 'event', type, handler),
    },
    interactions: {
      action: (actionId, handler) => add(actions, 'action', actionId, handler),
      view: (callbackId, handler) => add(views, 'view', callbackId, handler),
      shortcut: (constraints, handler) =>
        add(shortcuts, 'shortcut', shortcutKey(constraints.type, constraints.callback_id), handler),
      command: (name, handler) => add(commands, 'command', name, handler),
    },
    middleware: async (args) => {
      await pick(args)?.(args);
      await args.next();
    },
  };
}
