// The two ways calls reach the fake account: aws-sdk-client-mock replacing `send` of a client class (both
// wirings), or a middleware below the SDK's retry middleware (unit tests that want the SDK's real retry).
// Command classes are looked up in the SDK module given, never imported here: they must be the classes of
// the module instance the code under test uses.
import { AsyncLocalStorage } from "node:async_hooks";
import { mockClient, type AwsStub } from "aws-sdk-client-mock";
import type { Handlers } from "./context";
import type { SdkModule, Service } from "./errors";
import { SDK_PACKAGES } from "./sdk-modules";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one stub type for six clients
export type AnyStub = AwsStub<any, any, any>;

export interface SdkClient {
  config?: { region?: unknown };
  middlewareStack: { add(mw: unknown, opts: unknown): void };
  send(...args: unknown[]): Promise<unknown>;
}

/** What answers a call: the account's dispatch, for one service. */
export type Answer = (name: string, input: object, client: SdkClient, signal: AbortSignal | undefined) => Promise<object>;

/** The client's region (a provider in SDK v3). */
export async function regionOf(client: SdkClient | undefined, fallback: string): Promise<string> {
  try {
    const r = client?.config?.region;
    const v = typeof r === "function" ? await (r as () => Promise<string>)() : r;
    return typeof v === "string" && v ? v : fallback;
  } catch {
    return fallback;
  }
}

const signalOf = (options: unknown) => (options && typeof options === "object" ? (options as { abortSignal?: AbortSignal }).abortSignal : undefined);

/** Mocks `send` of the service's client class in `sdk`; commands without a handler fail loudly. */
export function mockService(service: Service, sdk: SdkModule, handlers: Handlers, answer: Answer, opts: { trimHistory?: boolean } = {}): AnyStub {
  const names = new Map<unknown, string>();
  for (const name of Object.keys(handlers)) if (sdk[`${name}Command`]) names.set(sdk[`${name}Command`], name);
  const mock = mockClient(sdk[SDK_PACKAGES[service].client] as new (...a: never[]) => SdkClient) as unknown as AnyStub;
  let trimming = false;
  mock.send.callsFake(function (this: SdkClient, command: object, options?: unknown) {
    // sinon keeps every call with a stack trace; a long-running server drops the history now and then.
    if (opts.trimHistory && mock.send.callCount >= 200 && !trimming) {
      trimming = true;
      setImmediate(() => ((trimming = false), mock.send.resetHistory()));
    }
    const name = names.get(command.constructor);
    if (!name) return Promise.reject(new Error(`fake AWS: no answer for ${service} ${command.constructor.name}; add it to tests/support/fake-aws`));
    // sinon calls the fake with the client as `this`.
    return answer(name, (command as { input: object }).input, this, signalOf(options));
  });
  return mock;
}

/**
 * Answers the service's calls from a middleware at the deserialize step, below the SDK's retry middleware, so
 * errors go through the SDK's real retry strategy. Every client of the class gets the middleware on its first
 * call; `isActive() === false` passes calls on. Returns what puts the class back.
 */
export function routeService(service: Service, sdk: SdkModule, handlers: Handlers, answer: Answer, isActive: () => boolean): () => void {
  const proto = (sdk[SDK_PACKAGES[service].client] as { prototype: SdkClient }).prototype;
  const original = proto.send;
  const routed = new WeakSet<object>();
  // The middleware does not see the call's options: the abort signal travels beside the call.
  const signals = new AsyncLocalStorage<AbortSignal | undefined>();
  const routeClient = (client: SdkClient) => {
    routed.add(client);
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: object }) => {
        if (!isActive()) return next(args);
        const name = (context.commandName ?? "").replace(/Command$/, "");
        if (!handlers[name]) throw new Error(`fake AWS: no handler for ${service}:${name}`);
        return { output: await answer(name, args.input, client, signals.getStore()), response: { statusCode: 200, headers: {} } };
      },
      { step: "deserialize", priority: "high", name: "fakeAwsTransport" },
    );
  };
  proto.send = function (this: SdkClient, command: unknown, options?: unknown, cb?: unknown) {
    if (!routed.has(this)) routeClient(this);
    return signals.run(signalOf(options), () => original.call(this, command, options, cb));
  };
  return () => {
    proto.send = original;
  };
}
