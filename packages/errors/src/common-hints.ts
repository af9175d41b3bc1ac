import type { Locale } from './category';
import type { COMMON_ERROR_TABLE } from './common-codes';

type Hint = Readonly<Record<Locale, string>>;
const hint = (en: string, zh: string): Hint => ({ 'en-US': en, 'zh-CN': zh });

/**
 * What a person can do about each common code, in both languages: the official descriptions say
 * what went wrong, these say what to check or change. Every code has one (the type requires it);
 * a test checks that none merely restates its code or description.
 */
export const COMMON_ERROR_HINTS: { readonly [Code in keyof typeof COMMON_ERROR_TABLE]: Hint } = {
  ActionOffline: hint(
    'This action was taken offline: call its replacement (see the service API documentation), or an API version that still has it.',
    '该接口已下线：请改用文档中的替代接口，或使用仍提供该接口的 API 版本。',
  ),
  'AuthFailure.InvalidAuthorization': hint(
    'The Authorization header is malformed: requests must be signed with TC3-HMAC-SHA256 (@x signs them); check that no proxy or middleware rewrites the header.',
    'Authorization 头格式错误：请求须使用 TC3-HMAC-SHA256 签名（@x 会自动签名）；请检查是否有代理或中间件改写了该头。',
  ),
  'AuthFailure.InvalidSecretId': hint(
    'The SecretId is not an API key: use the SecretId shown on the CAM console API keys page (it starts with AKID), not an account ID or AppId.',
    'SecretId 不是云 API 密钥：请使用访问管理（CAM）控制台 API 密钥页面中的 SecretId（以 AKID 开头），而非账号 ID 或 AppId。',
  ),
  'AuthFailure.MFAFailure': hint(
    'Multi-factor authentication failed: check the MFA code and that the MFA device is bound to this account; keys obtained with MFA may have expired.',
    'MFA 校验失败：请检查 MFA 验证码以及 MFA 设备是否绑定到该账号；通过 MFA 获取的临时密钥可能已过期。',
  ),
  'AuthFailure.SecretIdNotFound': hint(
    'The key is wrong, deleted or disabled: check it in the CAM console (API keys), copy it again without spaces, and make sure the credentials in use (environment, profile file, role) are the ones you meant.',
    '密钥错误、已删除或已禁用：请在访问管理控制台（API 密钥）中核对，重新复制（不要带空格），并确认实际使用的凭证来源（环境变量、配置文件、角色）正是你想用的。',
  ),
  'AuthFailure.SignatureExpire': hint(
    "This machine's clock is more than 5 minutes off: synchronize it (NTP). @x corrects its offset from the server's Date header and signs once more.",
    '本机时钟与服务器相差超过 5 分钟：请同步时钟（NTP）。@x 会根据服务器 Date 头校正时间偏差并重新签名一次。',
  ),
  'AuthFailure.SignatureFailure': hint(
    "Check the SecretKey (the one paired with this SecretId, no spaces, not rotated since) and this machine's clock; a proxy that changes the body or the Host header also breaks signatures.",
    '请检查 SecretKey（须与该 SecretId 配对、无空格、未被轮换）以及本机时钟；改写请求体或 Host 头的代理也会导致签名错误。',
  ),
  'AuthFailure.TokenFailure': hint(
    'The session token is invalid or expired: temporary keys must be sent with the token they were issued with; get fresh ones (STS, the instance role) instead of reusing old ones.',
    '会话 token 无效或已过期：临时密钥必须携带签发时的 token；请重新获取（STS、实例角色），不要复用旧的临时密钥。',
  ),
  'AuthFailure.UnauthorizedOperation': hint(
    'The key is valid but CAM denies this action: attach a policy that allows it to the user or role (CAM console), or call with a key that has it.',
    '密钥有效，但访问管理（CAM）未授权该操作：请为该用户或角色关联允许此接口的策略，或改用有权限的密钥。',
  ),
  DryRunOperation: hint(
    'Not a failure: with these params and permissions the request would have succeeded. Send it again without DryRun to really run it.',
    '并非失败：以当前参数和权限，请求本会成功。去掉 DryRun 参数重新发送即可真正执行。',
  ),
  FailedOperation: hint(
    "The resource's current state does not allow this: read the message and the code's suffix, check the resource's state, and try again once it has changed.",
    '资源当前状态不允许该操作：请阅读错误信息及错误码后缀，检查资源状态，待状态变化后再试。',
  ),
  InternalError: hint(
    'A failure on the server side, not in your request: try again later with backoff (@x retries it); if it lasts, contact support with the RequestId.',
    '服务端故障，并非请求本身的问题：请稍后退避重试（@x 会自动重试）；若持续出现，请携带 RequestId 联系技术支持。',
  ),
  InvalidAction: hint(
    'This service and version have no such action: check the spelling and case of the action, the service name and the API version.',
    '该服务和版本下没有此接口：请检查接口名的拼写和大小写、服务名以及 API 版本。',
  ),
  InvalidParameter: hint(
    "A param has the wrong format or type: compare the params with the action's documentation (names, types, nesting); the message names the param.",
    '参数格式或类型错误：请对照接口文档检查参数（名称、类型、层级）；错误信息中会指出具体参数。',
  ),
  InvalidParameterValue: hint(
    'A value is out of range or not allowed: check the param the message names against its documented range or choices; IDs must exist in the region called.',
    '参数取值不合法：请对照文档中的取值范围或枚举检查错误信息所指的参数；资源 ID 须属于所调用的地域。',
  ),
  InvalidRequest: hint(
    'The multipart/form-data body is malformed: send multipart only to actions that take it, one part per param, with the boundary of the Content-Type header.',
    'multipart/form-data 请求体格式错误：仅对支持 multipart 的接口使用该格式，每个参数一个 part，并与 Content-Type 中的 boundary 一致。',
  ),
  IpInBlacklist: hint(
    'The account blocks API calls from this IP: call from another network, or ask the account owner to remove the IP from the blacklist.',
    '该账号禁止来自此 IP 的 API 调用：请换用其他网络，或请主账号管理员将该 IP 移出黑名单。',
  ),
  IpNotInWhitelist: hint(
    'The account allows API calls only from listed IPs: call from an allowed network, or ask the account owner to add this IP to the whitelist.',
    '该账号仅允许白名单 IP 调用 API：请从允许的网络发起调用，或请主账号管理员将此 IP 加入白名单。',
  ),
  LimitExceeded: hint(
    'A quota is used up (instances, disks, rules...): release some resources or ask for a higher quota in the console; waiting does not help.',
    '配额已用尽（实例、磁盘、规则等）：请释放部分资源或在控制台申请提升配额；等待不会恢复。',
  ),
  MissingParameter: hint(
    'A required param is missing (the message names it). If it is Region: pass region to createClient (or to the call), or set TENCENTCLOUD_REGION, or region in the profile file ~/.tencentcloud/credentials.',
    '缺少必填参数（错误信息中会指出）。若缺少的是 Region：请在 createClient（或单次调用）中传入 region，或设置环境变量 TENCENTCLOUD_REGION，或在配置文件 ~/.tencentcloud/credentials 中填写 region。',
  ),
  NoSuchProduct: hint(
    'No such service: check the service name (cvm, not CVM) and the endpoint host.',
    '没有该服务：请检查服务名（如 cvm 而非 CVM）以及接入域名。',
  ),
  NoSuchVersion: hint(
    'The service publishes no such API version: use one it has (the newest one is what @x/services types by default).',
    '该服务没有此 API 版本：请使用其已发布的版本（@x/services 默认类型即为最新版本）。',
  ),
  RequestLimitExceeded: hint(
    'Too many calls per second to this action: slow down or lower concurrency; @x retries with backoff, and a shared RetryBudget keeps retries from adding to the load.',
    '调用该接口过于频繁：请降低频率或并发；@x 会退避重试，共享的 RetryBudget 可避免重试进一步加重负载。',
  ),
  'RequestLimitExceeded.GlobalRegionUinLimitExceeded': hint(
    "The account's limit across all regions is reached: spread calls over time and lower the concurrency of every client using this account.",
    '账号在全部地域的调用上限已达到：请在时间上分散调用，并降低所有使用该账号的客户端的并发。',
  ),
  'RequestLimitExceeded.IPLimitExceeded': hint(
    'This source IP calls too often: slow down, or spread calls over more source addresses.',
    '当前出口 IP 调用过于频繁：请降低频率，或分散到更多出口 IP。',
  ),
  'RequestLimitExceeded.UinLimitExceeded': hint(
    "The account's limit for this action is reached: slow down and lower the concurrency of every client using this account.",
    '账号调用该接口的上限已达到：请降低频率，并减少所有使用该账号的客户端的并发。',
  ),
  RequestSizeLimitExceeded: hint(
    'The request is too large: send fewer items per call (split the batch), or upload large content another way (e.g. COS).',
    '请求过大：请减少单次请求的数据量（拆分批量操作），或通过其他方式（如 COS）上传大内容。',
  ),
  ResourceInUse: hint(
    'Another operation holds the resource, or it is still bound to something: wait until that operation ends (or unbind it), then try again.',
    '资源正被其他操作占用或仍处于绑定状态：请等待该操作结束（或先解绑）后再试。',
  ),
  ResourceInsufficient: hint(
    'Not enough capacity for this request: choose another zone or instance type, or try again later.',
    '可售容量不足：请更换可用区或规格，或稍后再试。',
  ),
  ResourceNotFound: hint(
    "Check the ID, and that the client's region is the resource's region: IDs are looked up only in the region called.",
    '请检查资源 ID，并确认客户端的地域与资源所在地域一致：资源只在所调用的地域中查找。',
  ),
  ResourceUnavailable: hint(
    'The resource exists but cannot be used right now (starting, migrating, isolated, in arrears): check its state and try again when it is ready.',
    '资源存在但当前无法使用（启动中、迁移中、已隔离或欠费）：请检查其状态，待就绪后再试。',
  ),
  ResponseSizeLimitExceeded: hint(
    'The answer would be too large: ask for less per call (a smaller Limit, narrower filters) and page through the rest.',
    '返回内容过大：请减少单次请求的数据量（更小的 Limit、更精确的过滤条件），并分页获取其余数据。',
  ),
  ServiceUnavailable: hint(
    'The service is down for the moment: try again later with backoff (@x retries it); if it lasts, check the Tencent Cloud status page.',
    '服务暂时无法访问：请稍后退避重试（@x 会自动重试）；若持续出现，请查看腾讯云服务状态页面。',
  ),
  UnauthorizedOperation: hint(
    "CAM, or the resource's own access rules, deny this caller: grant a policy that allows this action on this resource, or use another key.",
    '访问管理（CAM）或资源自身的访问规则拒绝了该调用方：请授予允许对该资源执行此操作的策略，或改用其他密钥。',
  ),
  UnknownParameter: hint(
    'The request has a param this action does not define (the message names it): check its spelling and case, and whether it belongs to another API version.',
    '请求中包含该接口未定义的参数（错误信息中会指出）：请检查拼写和大小写，以及该参数是否属于其他 API 版本。',
  ),
  UnsupportedOperation: hint(
    'Not possible for this resource, configuration or region: read the message and check the constraints the action documents.',
    '该资源、配置或地域下无法执行：请阅读错误信息，并查看接口文档中的限制条件。',
  ),
  UnsupportedProtocol: hint(
    'Only GET and POST over HTTP(S) are accepted: use POST (the default) and check that no proxy changes the method.',
    '仅接受 HTTP(S) 的 GET 和 POST：请使用 POST（默认），并确认没有代理改写请求方法。',
  ),
  UnsupportedRegion: hint(
    'This action is not offered in that region: call it in a region that has it (DescribeRegions lists regions), or check the spelling of the region.',
    '该接口在此地域不提供：请在提供该接口的地域调用（可用 DescribeRegions 查询地域），或检查地域拼写。',
  ),
};
