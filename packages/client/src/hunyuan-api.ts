/** A slice of the hunyuan 2023-09-01 API: `ChatCompletions`, streamed or not. */

export interface HunyuanMessage {
  readonly Role: 'system' | 'user' | 'assistant' | (string & {});
  readonly Content: string;
}

/** Tokens used by a chat completion. */
export interface HunyuanUsage {
  readonly PromptTokens: number;
  readonly CompletionTokens: number;
  readonly TotalTokens: number;
}

/** One event of a streamed ChatCompletions: a delta of the answer. */
export interface HunyuanChatEvent {
  readonly Id: string;
  readonly Created: number;
  readonly Note?: string;
  readonly Choices: readonly { readonly FinishReason: string; readonly Delta: { readonly Role?: string; readonly Content: string } }[];
  readonly Usage?: HunyuanUsage;
}

/** The typed hunyuan action: `createClient<HunyuanApi>(...).stream('ChatCompletions', { Stream: true, ... })`. */
export interface HunyuanApi {
  ChatCompletions: {
    input: { readonly Model?: string; readonly Messages: readonly HunyuanMessage[]; readonly Stream?: boolean; readonly Temperature?: number; readonly TopP?: number };
    output: {
      readonly Id: string;
      readonly Created: number;
      readonly Note?: string;
      readonly Choices: readonly { readonly FinishReason: string; readonly Message: HunyuanMessage }[];
      readonly Usage: HunyuanUsage;
    };
    event: HunyuanChatEvent;
  };
}
