/**
 * The API versions rdmc answers (docs/compatibility.md, "Two versions, one directory"):
 * ResourceDirectoryMaster 2022-04-19, the product of message contacts and the default of
 * rdmc's own client; ResourceManager 2020-03-31, through which Terraform manages the directory;
 * and STS 2015-04-01, for the one call Terraform makes to learn its account.
 */
export const RESOURCE_DIRECTORY_MASTER_VERSION = '2022-04-19';
export const RESOURCE_MANAGER_VERSION = '2020-03-31';
export const STS_VERSION = '2015-04-01';

/** Each version's product code, as Alibaba's endpoints and error `Recommend` links name it. */
export const PRODUCT_OF_VERSION: Readonly<Record<string, string>> = {
  [RESOURCE_DIRECTORY_MASTER_VERSION]: 'ResourceDirectoryMaster',
  [RESOURCE_MANAGER_VERSION]: 'ResourceManager',
  [STS_VERSION]: 'Sts',
};
