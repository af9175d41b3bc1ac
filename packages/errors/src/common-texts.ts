import type { CommonErrorCode } from './common-codes';

/**
 * The texts of each common code: the official zh-CN description and its official English
 * translation, then what a person can do about it (the hint) in zh-CN and en-US, then, where the
 * category or the retry decision is not obvious, why. The hints say what to check or change; a
 * test checks that none merely restates its code or description. This module is its own chunk in
 * browser bundles (see texts.ts): the Chinese text compresses poorly (5.5 KB gzip for the hints).
 */
export type CommonTexts = {
  readonly [Code in CommonErrorCode]: readonly [
    zh: string,
    en: string,
    zhHint: string,
    enHint: string,
    reason?: string,
  ];
};

/**
 * The table, made when first read. A function, not a constant: at import V8 only pre-parses a
 * function's body, while a top-level literal of ~190 strings is parsed, compiled and built. The
 * Node entry installs this at import, and a call that never describes an error never pays for it
 * (callgrind, Node 24: ~2-3 M instructions of the ~37 M an import of @x/client costs).
 */
// eslint-disable-next-line max-lines-per-function -- a data table, a function only for the reason above
export function commonTextsTable(): CommonTexts {
  return {
    ActionOffline: [
      '接口已下线。',
      'This API has been deprecated.',
      '该接口已下线：请改用文档中的替代接口，或使用仍提供该接口的 API 版本。',
      'This action was taken offline: call its replacement (see the service API documentation), or an API version that still has it.',
    ],
    'AuthFailure.InvalidAuthorization': [
      '请求头部的 Authorization 不符合腾讯云标准。',
      '`Authorization` in the request header is invalid.',
      'Authorization 头格式错误：请求须使用 TC3-HMAC-SHA256 签名（@x 会自动签名）；请检查是否有代理或中间件改写了该头。',
      'The Authorization header is malformed: requests must be signed with TC3-HMAC-SHA256 (@x signs them); check that no proxy or middleware rewrites the header.',
    ],
    'AuthFailure.InvalidSecretId': [
      '密钥非法（不是云 API 密钥类型）。',
      'Invalid key (not a TencentCloud API key type).',
      'SecretId 不是云 API 密钥：请使用访问管理（CAM）控制台 API 密钥页面中的 SecretId（以 AKID 开头），而非账号 ID 或 AppId。',
      'The SecretId is not an API key: use the SecretId shown on the CAM console API keys page (it starts with AKID), not an account ID or AppId.',
    ],
    'AuthFailure.MFAFailure': [
      'MFA 错误。',
      'MFA failed.',
      'MFA 校验失败：请检查 MFA 验证码以及 MFA 设备是否绑定到该账号；通过 MFA 获取的临时密钥可能已过期。',
      'Multi-factor authentication failed: check the MFA code and that the MFA device is bound to this account; keys obtained with MFA may have expired.',
    ],
    'AuthFailure.SecretIdNotFound': [
      '密钥不存在。请在控制台检查密钥是否已被删除或者禁用，如状态正常，请检查密钥是否填写正确，注意前后不得有空格。',
      'Key does not exist. Check if the key has been deleted or disabled in the console, and if not, check if the key is correctly entered. Note that whitespaces should not exist before or after the key.',
      '密钥错误、已删除或已禁用：请在访问管理控制台（API 密钥）中核对，重新复制（不要带空格），并确认实际使用的凭证来源（环境变量、配置文件、角色）正是你想用的。',
      'The key is wrong, deleted or disabled: check it in the CAM console (API keys), copy it again without spaces, and make sure the credentials in use (environment, profile file, role) are the ones you meant.',
    ],
    'AuthFailure.SignatureExpire': [
      '签名过期。Timestamp 和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。',
      'Signature expired. Timestamp and server time cannot differ by more than five minutes. Please ensure your current local time matches the standard time.',
      '本机时钟与服务器相差超过 5 分钟：请同步时钟（NTP）。@x 会根据服务器 Date 头校正时间偏差并重新签名一次。',
      "This machine's clock is more than 5 minutes off: synchronize it (NTP). @x corrects its offset from the server's Date header and signs once more.",
      'The same request with the same clock fails again. The transport corrects its clock offset from the server Date header and re-signs once; that is a changed request, not a plain retry.',
    ],
    'AuthFailure.SignatureFailure': [
      '签名错误。签名计算错误，请对照调用方式中的签名方法文档检查签名计算过程。',
      "Invalid signature. Signature calculation error. Please ensure you've followed the signature calculation process described in the Signature API documentation.",
      '请检查 SecretKey（须与该 SecretId 配对、无空格、未被轮换）以及本机时钟；改写请求体或 Host 头的代理也会导致签名错误。',
      "Check the SecretKey (the one paired with this SecretId, no spaces, not rotated since) and this machine's clock; a proxy that changes the body or the Host header also breaks signatures.",
    ],
    'AuthFailure.TokenFailure': [
      'token 错误。',
      'Token error.',
      '会话 token 无效或已过期：临时密钥必须携带签发时的 token；请重新获取（STS、实例角色），不要复用旧的临时密钥。',
      'The session token is invalid or expired: temporary keys must be sent with the token they were issued with; get fresh ones (STS, the instance role) instead of reusing old ones.',
      'Usually an expired or mismatched session token: only fresh credentials help, which is a new request.',
    ],
    'AuthFailure.UnauthorizedOperation': [
      '请求未授权。请参考 CAM 文档对鉴权的说明。',
      'The request is not authorized. For more information, see the CAM documentation.',
      '密钥有效，但访问管理（CAM）未授权该操作：请为该用户或角色关联允许此接口的策略，或改用有权限的密钥。',
      'The key is valid but CAM denies this action: attach a policy that allows it to the user or role (CAM console), or call with a key that has it.',
      'Despite the AuthFailure prefix the caller was authenticated; a CAM policy denies the action.',
    ],
    DryRunOperation: [
      'DryRun 操作，代表请求将会是成功的，只是多传了 DryRun 参数。',
      'DryRun Operation. It means that the request would have succeeded, but the DryRun parameter was used.',
      '并非失败：以当前参数和权限，请求本会成功。去掉 DryRun 参数重新发送即可真正执行。',
      'Not a failure: with these params and permissions the request would have succeeded. Send it again without DryRun to really run it.',
      'Not a failure: the request would have succeeded. Retrying would only repeat the dry run.',
    ],
    FailedOperation: [
      '操作失败。',
      'Operation failed.',
      '资源当前状态不允许该操作：请阅读错误信息及错误码后缀，检查资源状态，待状态变化后再试。',
      "The resource's current state does not allow this: read the message and the code's suffix, check the resource's state, and try again once it has changed.",
      'Services use FailedOperation.* for state conflicts (e.g. the instance is in the wrong state); repeating the request does not change the state.',
    ],
    InternalError: [
      '内部错误。',
      'Internal error.',
      '服务端故障，并非请求本身的问题：请稍后退避重试（@x 会自动重试）；若持续出现，请携带 RequestId 联系技术支持。',
      'A failure on the server side, not in your request: try again later with backoff (@x retries it); if it lasts, contact support with the RequestId.',
    ],
    InvalidAction: [
      '接口不存在。',
      'The API does not exist.',
      '该服务和版本下没有此接口：请检查接口名的拼写和大小写、服务名以及 API 版本。',
      'This service and version have no such action: check the spelling and case of the action, the service name and the API version.',
    ],
    InvalidParameter: [
      '参数错误（包括参数格式、类型等错误）。',
      'Incorrect parameter.',
      '参数格式或类型错误：请对照接口文档检查参数（名称、类型、层级）；错误信息中会指出具体参数。',
      "A param has the wrong format or type: compare the params with the action's documentation (names, types, nesting); the message names the param.",
    ],
    InvalidParameterValue: [
      '参数取值错误。',
      'Invalid parameter value.',
      '参数取值不合法：请对照文档中的取值范围或枚举检查错误信息所指的参数；资源 ID 须属于所调用的地域。',
      'A value is out of range or not allowed: check the param the message names against its documented range or choices; IDs must exist in the region called.',
    ],
    InvalidRequest: [
      '请求 body 的 multipart 格式错误。',
      'The multipart format of the request body is incorrect.',
      'multipart/form-data 请求体格式错误：仅对支持 multipart 的接口使用该格式，每个参数一个 part，并与 Content-Type 中的 boundary 一致。',
      'The multipart/form-data body is malformed: send multipart only to actions that take it, one part per param, with the boundary of the Content-Type header.',
    ],
    IpInBlacklist: [
      'IP 地址在黑名单中。',
      'Your IP is in uin IP blacklist.',
      '该账号禁止来自此 IP 的 API 调用：请换用其他网络，或请主账号管理员将该 IP 移出黑名单。',
      'The account blocks API calls from this IP: call from another network, or ask the account owner to remove the IP from the blacklist.',
    ],
    IpNotInWhitelist: [
      'IP 地址不在白名单中。',
      'Your IP is not in uin IP whitelist.',
      '该账号仅允许白名单 IP 调用 API：请从允许的网络发起调用，或请主账号管理员将此 IP 加入白名单。',
      'The account allows API calls only from listed IPs: call from an allowed network, or ask the account owner to add this IP to the whitelist.',
    ],
    LimitExceeded: [
      '超过配额限制。',
      'Quota limit exceeded.',
      '配额已用尽（实例、磁盘、规则等）：请释放部分资源或在控制台申请提升配额；等待不会恢复。',
      'A quota is used up (instances, disks, rules...): release some resources or ask for a higher quota in the console; waiting does not help.',
      'A quota (instances, disks, ...), not a request rate: it does not reset by waiting seconds.',
    ],
    MissingParameter: [
      '缺少参数。',
      'A parameter is missing.',
      '缺少必填参数（错误信息中会指出）。若缺少的是 Region：请在 createClient（或单次调用）中传入 region，或设置环境变量 TENCENTCLOUD_REGION，或在配置文件 ~/.tencentcloud/credentials 中填写 region。',
      'A required param is missing (the message names it). If it is Region: pass region to createClient (or to the call), or set TENCENTCLOUD_REGION, or region in the profile file ~/.tencentcloud/credentials.',
    ],
    NoSuchProduct: [
      '产品不存在',
      'The product does not exist.',
      '没有该服务：请检查服务名（如 cvm 而非 CVM）以及接入域名。',
      'No such service: check the service name (cvm, not CVM) and the endpoint host.',
    ],
    NoSuchVersion: [
      '接口版本不存在。',
      'The API version does not exist.',
      '该服务没有此 API 版本：请使用其已发布的版本（@x/services 默认类型即为最新版本）。',
      'The service publishes no such API version: use one it has (the newest one is what @x/services types by default).',
    ],
    RequestLimitExceeded: [
      '请求的次数超过了频率限制。',
      'The number of requests exceeds the frequency limit.',
      '调用该接口过于频繁：请降低频率或并发；@x 会退避重试，共享的 RetryBudget 可避免重试进一步加重负载。',
      'Too many calls per second to this action: slow down or lower concurrency; @x retries with backoff, and a shared RetryBudget keeps retries from adding to the load.',
    ],
    'RequestLimitExceeded.GlobalRegionUinLimitExceeded': [
      '主账号超过频率限制。',
      'Uin exceeds the frequency limit.',
      '账号在全部地域的调用上限已达到：请在时间上分散调用，并降低所有使用该账号的客户端的并发。',
      "The account's limit across all regions is reached: spread calls over time and lower the concurrency of every client using this account.",
    ],
    'RequestLimitExceeded.IPLimitExceeded': [
      'IP限频。',
      'The number of ip requests exceeds the frequency limit.',
      '当前出口 IP 调用过于频繁：请降低频率，或分散到更多出口 IP。',
      'This source IP calls too often: slow down, or spread calls over more source addresses.',
    ],
    'RequestLimitExceeded.UinLimitExceeded': [
      '主账号限频。',
      'The number of uin requests exceeds the frequency limit.',
      '账号调用该接口的上限已达到：请降低频率，并减少所有使用该账号的客户端的并发。',
      "The account's limit for this action is reached: slow down and lower the concurrency of every client using this account.",
    ],
    RequestSizeLimitExceeded: [
      '请求包超过限制大小。',
      'The request size exceeds the upper limit.',
      '请求过大：请减少单次请求的数据量（拆分批量操作），或通过其他方式（如 COS）上传大内容。',
      'The request is too large: send fewer items per call (split the batch), or upload large content another way (e.g. COS).',
    ],
    ResourceInUse: [
      '资源被占用。',
      'Resource is in use.',
      '资源正被其他操作占用或仍处于绑定状态：请等待该操作结束（或先解绑）后再试。',
      'Another operation holds the resource, or it is still bound to something: wait until that operation ends (or unbind it), then try again.',
      'Resources are held by long operations (minutes); a backoff of seconds does not outlast them, so waiting is left to the caller.',
    ],
    ResourceInsufficient: [
      '资源不足。',
      'Insufficient resource.',
      '可售容量不足：请更换可用区或规格，或稍后再试。',
      'Not enough capacity for this request: choose another zone or instance type, or try again later.',
      'Capacity is sold out in that zone or type; it does not come back within a retry window. Change zone or type.',
    ],
    ResourceNotFound: [
      '资源不存在。',
      'The resource does not exist.',
      '请检查资源 ID，并确认客户端的地域与资源所在地域一致：资源只在所调用的地域中查找。',
      "Check the ID, and that the client's region is the resource's region: IDs are looked up only in the region called.",
    ],
    ResourceUnavailable: [
      '资源不可用。',
      'Resource is unavailable.',
      '资源存在但当前无法使用（启动中、迁移中、已隔离或欠费）：请检查其状态，待就绪后再试。',
      'The resource exists but cannot be used right now (starting, migrating, isolated, in arrears): check its state and try again when it is ready.',
      'Usually a transient state (a resource starting, migrating or being created); the same request can succeed moments later.',
    ],
    ResponseSizeLimitExceeded: [
      '返回包超过限制大小。',
      'The response size exceeds the upper limit.',
      '返回内容过大：请减少单次请求的数据量（更小的 Limit、更精确的过滤条件），并分页获取其余数据。',
      'The answer would be too large: ask for less per call (a smaller Limit, narrower filters) and page through the rest.',
      'The same request returns the same amount of data; ask for less (a smaller Limit).',
    ],
    ServiceUnavailable: [
      '当前服务暂时不可用。',
      'Service is unavailable now.',
      '服务暂时无法访问：请稍后退避重试（@x 会自动重试）；若持续出现，请查看腾讯云服务状态页面。',
      'The service is down for the moment: try again later with backoff (@x retries it); if it lasts, check the Tencent Cloud status page.',
    ],
    UnauthorizedOperation: [
      '未授权操作。',
      'Unauthorized operation.',
      '访问管理（CAM）或资源自身的访问规则拒绝了该调用方：请授予允许对该资源执行此操作的策略，或改用其他密钥。',
      "CAM, or the resource's own access rules, deny this caller: grant a policy that allows this action on this resource, or use another key.",
    ],
    UnknownParameter: [
      '未知参数错误，用户多传未定义的参数会导致错误。',
      'Unknown parameter.',
      '请求中包含该接口未定义的参数（错误信息中会指出）：请检查拼写和大小写，以及该参数是否属于其他 API 版本。',
      'The request has a param this action does not define (the message names it): check its spelling and case, and whether it belongs to another API version.',
    ],
    UnsupportedOperation: [
      '操作不支持。',
      'Unsupported operation.',
      '该资源、配置或地域下无法执行：请阅读错误信息，并查看接口文档中的限制条件。',
      'Not possible for this resource, configuration or region: read the message and check the constraints the action documents.',
      'The operation is not supported for this resource or in its current state; repeating it changes nothing.',
    ],
    UnsupportedProtocol: [
      'http(s) 请求协议错误，只支持 GET 和 POST 请求。',
      'HTTP(S) request protocol error; only GET and POST requests are supported.',
      '仅接受 HTTP(S) 的 GET 和 POST：请使用 POST（默认），并确认没有代理改写请求方法。',
      'Only GET and POST over HTTP(S) are accepted: use POST (the default) and check that no proxy changes the method.',
    ],
    UnsupportedRegion: [
      '接口不支持所传地域。',
      'API does not support the requested region.',
      '该接口在此地域不提供：请在提供该接口的地域调用（可用 DescribeRegions 查询地域），或检查地域拼写。',
      'This action is not offered in that region: call it in a region that has it (DescribeRegions lists regions), or check the spelling of the region.',
    ],
  };
}
