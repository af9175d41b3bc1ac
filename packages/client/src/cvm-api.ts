/**
 * A hand-written slice of the CVM 2017-03-12 API: the actions @x/emulator's fixtures serve. It is
 * the example of the typed-API pattern: `createClient<CvmApi>({ service: 'cvm', version: '2017-03-12' })`.
 * Field names and shapes follow the public CVM API reference; optional fields are optional there.
 */

export interface CvmFilter {
  /** e.g. `zone`, `instance-state`, `instance-name`, `instance-id`. */
  readonly Name: string;
  readonly Values: readonly string[];
}

/** Where an instance lives: its availability zone (and project). */
export interface CvmPlacement {
  readonly Zone: string;
  readonly ProjectId?: number;
}

/** The states a CVM instance reports (`InstanceState`); other strings are accepted as new states appear. */
export type CvmInstanceState =
  | 'PENDING'
  | 'LAUNCH_FAILED'
  | 'RUNNING'
  | 'STOPPED'
  | 'STARTING'
  | 'STOPPING'
  | 'REBOOTING'
  | 'SHUTDOWN'
  | 'TERMINATING'
  | (string & {});

/** One instance of `DescribeInstances` (`InstanceSet` items). */
export interface CvmInstance {
  readonly InstanceId: string;
  readonly InstanceName: string;
  readonly InstanceState: CvmInstanceState;
  readonly InstanceType: string;
  readonly Placement: CvmPlacement;
  readonly CPU: number;
  readonly Memory: number;
  readonly ImageId?: string;
  readonly OsName?: string;
  readonly InstanceChargeType?: string;
  readonly PrivateIpAddresses?: readonly string[];
  readonly PublicIpAddresses?: readonly string[] | null;
  readonly CreatedTime?: string;
  readonly ExpiredTime?: string | null;
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
}

/** The typed CVM actions the emulator serves: `createClient<CvmApi>({ service: 'cvm', version: '2017-03-12' })`. */
export interface CvmApi {
  DescribeInstances: {
    input: {
      readonly InstanceIds?: readonly string[];
      readonly Filters?: readonly CvmFilter[];
      readonly Offset?: number;
      readonly Limit?: number;
    };
    output: { readonly TotalCount: number; readonly InstanceSet: readonly CvmInstance[] };
  };
  DescribeInstancesStatus: {
    input: { readonly InstanceIds?: readonly string[]; readonly Offset?: number; readonly Limit?: number };
    output: {
      readonly TotalCount: number;
      readonly InstanceStatusSet: readonly { readonly InstanceId: string; readonly InstanceState: CvmInstanceState }[];
    };
  };
  DescribeRegions: {
    input: Record<string, never>;
    output: {
      readonly TotalCount: number;
      readonly RegionSet: readonly { readonly Region: string; readonly RegionName: string; readonly RegionState: string }[];
    };
  };
  RunInstances: {
    input: {
      readonly Placement: CvmPlacement;
      readonly ImageId: string;
      readonly InstanceType?: string;
      readonly InstanceChargeType?: string;
      readonly InstanceCount?: number;
      readonly InstanceName?: string;
      /** Same token → same instances: the request is idempotent. */
      readonly ClientToken?: string;
      readonly DryRun?: boolean;
    };
    output: { readonly InstanceIdSet: readonly string[] };
  };
}
