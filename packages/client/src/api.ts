import type { CommonErrorCode } from '@x/errors';

/**
 * The shape of a typed API: action names mapped to their params (`input`), result (`output`),
 * documented error codes (`errors`) and, for streaming actions, their `event`. `@x/services`
 * generates one per service-version (`CvmApi`...); write your own for a service it lacks.
 *
 * @example
 * interface MyApi {
 *   DescribeThings: { input: { Limit?: number }; output: { TotalCount: number; ThingSet: Thing[] }; errors: 'ResourceNotFound.Thing' };
 * }
 */
export interface ActionShape {
  readonly input: object;
  readonly output: object;
  readonly errors?: string;
  readonly event?: object;
}

/** Any object type whose properties are {@link ActionShape}s (interfaces welcome). */
export type ApiShape = object;

/** The API of an untyped client: any action, any params, a record back. */
export type UntypedApi = {
  readonly [action: string]: { readonly input: Record<string, unknown>; readonly output: Record<string, unknown> };
};

/**
 * A service-version as the client needs it at run time, with its action map as a type only.
 * `@x/services` exports one per service (`import { cvm } from '@x/services/cvm'`); for a service
 * or a map of your own, write one: `const things: ServiceDescriptor<MyApi> = { service: 'things', version: '2024-01-01' }`.
 */
// Declared twice on purpose: @x/services emits the same shape (scripts/emit.mjs, DESCRIPTOR_DTS)
// and neither package may import the other; the types are structural, so descriptors match.
export interface ServiceDescriptor<
  Api extends ApiShape = ApiShape,
  Service extends string = string,
  Version extends string = string,
> {
  readonly service: Service;
  readonly version: Version;
  /**
   * Actions answered as an event stream: the boolean param that turns streaming on, or `''` when
   * the action always streams. When present, `stream()` refuses any other action; generated
   * descriptors always have it.
   */
  readonly streaming?: { readonly [action: string]: string };
  /** Host names used for a streaming call of these actions instead of `<service>.tencentcloudapi.com`. */
  readonly streamHosts?: { readonly [action: string]: string };
  /** Actions whose params are sent as multipart/form-data. */
  readonly multipart?: readonly string[];
  /**
   * The actions that take a `DryRun` param, with its wire type. When present, `dryRun()` refuses
   * any other action (it would run for real); generated descriptors always have it.
   */
  readonly dryRun?: { readonly [action: string]: 'boolean' | 'string' };
  /** Offset/Limit listings whose definitions type these paging params as strings: `paginate` sends them as text. */
  readonly textPaging?: { readonly [action: string]: readonly string[] };
  /** The action map: a type only, never set at run time. */
  readonly '~api'?: Api;
}

/** The action map a descriptor carries. */
export type ApiOf<Descriptor> = Descriptor extends { readonly '~api'?: infer Api }
  ? Api extends ApiShape
    ? Api
    : UntypedApi
  : UntypedApi;

/** True for the untyped API (any string is an action), false for a map of known actions. */
export type IsUntyped<Api> = string extends keyof Api ? true : false;

/** The actions a client accepts: the map's names on a typed client, any string on an untyped one. */
export type ActionName<Api extends ApiShape> = IsUntyped<Api> extends true ? string : keyof Api & string;

/** The actions of a map that stream (those with an `event`); any string on an untyped client. */
export type StreamingActionName<Api extends ApiShape> =
  IsUntyped<Api> extends true
    ? string
    : { [K in keyof Api]: Api[K] extends { readonly event: object } ? K : never }[keyof Api] & string;

type Known<Api, Action> = Action extends keyof Api ? Api[Action] : never;

/** The params of `Action`: typed for known actions, a plain record otherwise. */
export type InputOf<Api extends ApiShape, Action extends string> =
  Known<Api, Action> extends { readonly input: infer Input } ? Input : Record<string, unknown>;

/** The result of `Action`: its output plus the RequestId every response carries. */
export type OutputOf<Api extends ApiShape, Action extends string> = (Known<Api, Action> extends {
  readonly output: infer Output;
}
  ? Output
  : Record<string, unknown>) & { readonly RequestId: string };

/** The event type of a streaming action (its `event`), `unknown` when the API does not say. */
export type EventOf<Api extends ApiShape, Action extends string> =
  Known<Api, Action> extends { readonly event: infer Event } ? Event : unknown;

/** `A.B.C` → `A` | `A.B`: the dotted ancestors of a code, which match it as patterns. */
type AncestorsOf<Code extends string> = Code extends `${infer Head}.${infer Rest}`
  ? Head | `${Head}.${AncestorsOf<Rest>}`
  : never;

/**
 * The codes worth testing for after calling `Action`: the codes it documents and their dotted
 * ancestors, plus the common codes any action may answer. Any string on an untyped client.
 */
export type ActionErrorCode<Api extends ApiShape, Action extends string> =
  IsUntyped<Api> extends true
    ? CommonErrorCode | (string & {})
    : Known<Api, Action> extends { readonly errors: infer Code extends string }
      ? Code | AncestorsOf<Code> | CommonErrorCode | AncestorsOf<CommonErrorCode>
      : CommonErrorCode | AncestorsOf<CommonErrorCode>;

type OutputFields<Api, Action> = Known<Api, Action> extends { readonly output: infer Output } ? Output : never;

/** The names of the array fields of an action's output: what `paginate` can iterate (any name on an untyped client). */
export type ArrayFieldOf<Api extends ApiShape, Action extends string> = [OutputFields<Api, Action>] extends [never]
  ? string
  : string extends keyof OutputFields<Api, Action>
    ? string
    : {
        [K in keyof OutputFields<Api, Action>]-?: NonNullable<OutputFields<Api, Action>[K]> extends readonly unknown[]
          ? K & string
          : never;
      }[keyof OutputFields<Api, Action>];

/** The item type of an array field. */
export type ItemOf<Api extends ApiShape, Action extends string, Field extends string> = [
  OutputFields<Api, Action>,
] extends [never]
  ? Record<string, unknown>
  : Field extends keyof OutputFields<Api, Action>
    ? NonNullable<OutputFields<Api, Action>[Field]> extends readonly (infer Item)[]
      ? Item
      : Record<string, unknown>
    : Record<string, unknown>;
