/**
 * The trusted services a directory may delegate, and how many delegated administrators each
 * takes (docs/compatibility.md, "Delegated administrators"). Alibaba names a service by its
 * principal (`config.aliyuncs.com`); the default list is the 17 the Landing Zone Accelerator
 * delegates, and each service takes 5, the maximum Alibaba documents for ROS and Resource
 * Center (the others' maxima are not published).
 */
export const DEFAULT_TRUSTED_SERVICES = [
  'cloudfw.aliyuncs.com',
  'sas.aliyuncs.com',
  'waf.aliyuncs.com',
  'ddosbgp.aliyuncs.com',
  'bastionhost.aliyuncs.com',
  'sddp.aliyuncs.com',
  'actiontrail.aliyuncs.com',
  'config.aliyuncs.com',
  'audit.log.aliyuncs.com',
  'cloudmonitor.aliyuncs.com',
  'prometheus.aliyuncs.com',
  'tag.aliyuncs.com',
  'ros.aliyuncs.com',
  'resourcecenter.aliyuncs.com',
  'servicecatalog.aliyuncs.com',
  'energy.aliyuncs.com',
  'cloudsso.aliyuncs.com',
] as const;

export const DEFAULT_DELEGATES_PER_SERVICE = 5;
/** At most this many services and delegates each: together they bound a directory's delegations. */
export const MAX_TRUSTED_SERVICES = 200;
export const MAX_DELEGATES_PER_SERVICE = 100;

/** A principal as Alibaba writes them: lower-case DNS labels. */
const PRINCIPAL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** Each service principal with its maximum of delegated administrators. */
export type TrustedServices = ReadonlyMap<string, number>;

export const DEFAULT_TRUSTED_SERVICES_SETTING = DEFAULT_TRUSTED_SERVICES.join(',');

/**
 * Reads `RDMC_TRUSTED_SERVICES`: principals separated by commas, each optionally `=N` for its
 * maximum (1 to 100; default 5). Throws an Error naming the first fault (the config loader
 * reports it).
 */
export function parseTrustedServices(text: string): TrustedServices {
  const services = new Map<string, number>();
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [principal, max, ...rest] = item.split('=');
    if (rest.length > 0 || !PRINCIPAL.test(principal!) || principal!.length > 128) throw new Error(`"${item}" is not a service principal (such as config.aliyuncs.com), optionally with =N`);
    const n = max === undefined ? DEFAULT_DELEGATES_PER_SERVICE : Number(max);
    if (!/^\d{1,3}$/.test(max ?? '5') || n < 1 || n > MAX_DELEGATES_PER_SERVICE) throw new Error(`"${item}": the maximum must be 1 to ${MAX_DELEGATES_PER_SERVICE}`);
    services.set(principal!, n);
  }
  if (services.size > MAX_TRUSTED_SERVICES) throw new Error(`at most ${MAX_TRUSTED_SERVICES} services`);
  return services;
}
