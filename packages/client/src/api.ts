/**
 * The shape of a typed API: action names mapped to their input and output (and, for streaming
 * actions, their event). Write one for the actions you use, as an interface or a type, and pass it
 * to `createClient<YourApi>()` for autocompletion of action names and typed params and results.
 *
 * @example
 * interface MyApi {
 *   DescribeThings: { input: { Limit?: number }; output: { TotalCount: number; ThingSet: Thing[] } };
 * }
 */
export interface ActionShape {
  readonly input: object;
  readonly output: object;
  readonly event?: object;
}

/** Any object type whose properties are {@link ActionShape}s (interfaces welcome). */
export type ApiShape = object;

/** The API of an untyped client: any action, any params, a record back. */
export type UntypedApi = { readonly [action: string]: { readonly input: Record<string, unknown>; readonly output: Record<string, unknown> } };

/** The known action names of an API, plus any other string (autocompletion keeps working). */
export type ActionName<Api extends ApiShape> = (keyof Api & string) | (string & {});

type Known<Api, Action> = Action extends keyof Api ? Api[Action] : never;

/** The params of `Action`: typed for known actions, a plain record otherwise. */
export type InputOf<Api extends ApiShape, Action extends string> =
  Known<Api, Action> extends { readonly input: infer Input } ? Input : Record<string, unknown>;

/** The result of `Action`: its output plus the RequestId every response carries. */
export type OutputOf<Api extends ApiShape, Action extends string> = (Known<Api, Action> extends { readonly output: infer Output }
  ? Output
  : Record<string, unknown>) & { readonly RequestId: string };

/** The event type of a streaming action (its `event`), `unknown` when the API does not say. */
export type EventOf<Api extends ApiShape, Action extends string> =
  Known<Api, Action> extends { readonly event: infer Event } ? Event : unknown;

type OutputFields<Api, Action> = Known<Api, Action> extends { readonly output: infer Output } ? Output : never;

/** The names of the array fields of an action's output: what `paginate` can iterate. */
export type ArrayFieldOf<Api extends ApiShape, Action extends string> = [OutputFields<Api, Action>] extends [never]
  ? string
  : { [K in keyof OutputFields<Api, Action>]-?: NonNullable<OutputFields<Api, Action>[K]> extends readonly unknown[] ? K & string : never }[keyof OutputFields<Api, Action>];

/** The item type of an array field. */
export type ItemOf<Api extends ApiShape, Action extends string, Field extends string> = [OutputFields<Api, Action>] extends [never]
  ? Record<string, unknown>
  : Field extends keyof OutputFields<Api, Action>
    ? NonNullable<OutputFields<Api, Action>[Field]> extends readonly (infer Item)[]
      ? Item
      : unknown
    : unknown;
