// The wiring: aws-sdk-client-mock on the five SDK clients the console uses, every command answered from the fake
// world after the scenario file has had its say (reset, delay, injected failure).
import { createRequire } from "node:module";
import { eksHandlers, rdsHandlers, stsHandlers } from "./compute.mjs";
import { abortError, accessDeniedMessage, actionOf, awsError, headError, metadata, resourceOf, statusOf } from "./errors.mjs";
import { iamHandlers } from "./iam.mjs";
import { s3Handlers } from "./s3.mjs";
import { decide, openStore, readScenario, stateFileFor, wait } from "./scenario.mjs";
import { ACCOUNT_ID, DEFAULT_REGION, callerArnFor, partitionOf } from "./world.mjs";

/**
 * What a handler gets besides the request input.
 * @typedef {{ world: import("./world.mjs").World, region: string, partition: string, callerArn: string,
 *   error: (code: string, message?: string, status?: number) => Error, headError: (status: number) => Error }} CallContext
 */

const SERVICES = [
  { key: "sts", pkg: "@aws-sdk/client-sts", client: "STSClient", handlers: stsHandlers },
  { key: "eks", pkg: "@aws-sdk/client-eks", client: "EKSClient", handlers: eksHandlers },
  { key: "rds", pkg: "@aws-sdk/client-rds", client: "RDSClient", handlers: rdsHandlers },
  { key: "iam", pkg: "@aws-sdk/client-iam", client: "IAMClient", handlers: iamHandlers },
  { key: "s3", pkg: "@aws-sdk/client-s3", client: "S3Client", handlers: s3Handlers },
];

/** The client's region (a provider in SDK v3), else the default. */
async function regionOf(client) {
  try {
    const r = client?.config?.region;
    return (typeof r === "function" ? await r() : r) || DEFAULT_REGION;
  } catch {
    return DEFAULT_REGION;
  }
}

/**
 * Replaces `send` of the SDK clients (resolved from `root`, the same CommonJS modules the server loads) with
 * the fake account.
 * @param {{ root: string | URL, scenarioFile?: string }} opts
 */
export function installAwsDouble({ root, scenarioFile }) {
  const require = createRequire(root);
  const { mockClient } = require("aws-sdk-client-mock");
  const store = openStore(stateFileFor(scenarioFile));
  /** Calls per command name (`CreateRole`), for debugging a browser test. @type {Record<string, number>} */
  const calls = {};
  const mocks = [];

  for (const svc of SERVICES) {
    const sdk = require(svc.pkg);
    const mock = mockClient(sdk[svc.client]);
    mocks.push(mock);
    let trimming = false;
    for (const [name, handler] of Object.entries(svc.handlers())) {
      const Command = sdk[`${name}Command`];
      if (!Command) throw new Error(`AWS double: ${svc.pkg} has no ${name}Command`);
      mock.on(Command).callsFake((input) => {
        // The options (abortSignal) and the client are only in sinon's record of this very call: take them now.
        const call = mock.send.lastCall;
        // sinon keeps every call (with a stack trace); drop the history once in a while, outside the call.
        if (mock.send.callCount >= 200 && !trimming) {
          trimming = true;
          setImmediate(() => ((trimming = false), mock.send.resetHistory()));
        }
        return answer(svc.key, sdk, name, input, call?.thisValue, /** @type {any[]} */ (call?.args ?? [])[1], handler);
      });
    }
    // A command the double does not know fails loudly instead of answering `undefined`.
    mock.send.callsFake((command) =>
      Promise.reject(new Error(`AWS double: no answer for ${svc.key} ${command?.constructor?.name ?? "command"}; add it to e2e/support/fake-aws`)),
    );
  }

  /** @param {string} service @param {any} sdk @param {string} name @param {any} input @param {any} client @param {any} options @param {Function} handler */
  async function answer(service, sdk, name, input, client, options, handler) {
    calls[name] = (calls[name] ?? 0) + 1;
    const signal = options && typeof options === "object" ? options.abortSignal : undefined;
    if (signal?.aborted) throw abortError();
    const region = await regionOf(client);
    const partition = partitionOf(region);
    const callerArn = callerArnFor(region);
    const s3 = service === "s3";

    // Reset and failOnce bookkeeping happen when the call arrives; the answer comes after the delay.
    const plan = decide(readScenario(scenarioFile), store.load(), name);
    store.save();
    if (plan.delayMs) await wait(plan.delayMs, signal, abortError);

    const state = store.load();
    /** @type {CallContext} */
    const cx = {
      world: state.world,
      region,
      partition,
      callerArn,
      error: (code, message, status) => awsError(sdk, code, message, { status, s3 }),
      headError: (status) => headError(sdk, status),
    };
    try {
      if (plan.error) throw injected(cx, service, name, input, plan.error);
      return { ...handler(input, cx), $metadata: metadata(200, s3) };
    } finally {
      store.save();
    }
  }

  /** The scenario's error for this call, worded as AWS would word it. */
  function injected(cx, service, name, input, code) {
    if (name === "HeadBucket") return cx.headError(statusOf(code));
    if (!/AccessDenied/.test(code)) return cx.error(code);
    const action = actionOf(service, name);
    const resource = resourceOf({ service, partition: cx.partition, region: cx.region, accountId: ACCOUNT_ID }, input);
    return cx.error(code, accessDeniedMessage(cx.callerArn, action, resource));
  }

  return {
    calls,
    /** The account as it is now (plain JSON). */
    world: () => store.load().world,
    /** Back to the initial account, keeping what failOnce has already fired. */
    reset() {
      store.load();
      store.reset();
      store.save();
    },
    /** Puts the real `send` back (tests of the double). */
    restore() {
      for (const m of mocks) m.restore();
    },
  };
}
