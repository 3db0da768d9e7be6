/**
 * The API versions rdmc answers (docs/compatibility.md, "Two versions, one directory"):
 * ResourceDirectoryMaster 2022-04-19, the product of message contacts and the default of
 * rdmc's own client, and ResourceManager 2020-03-31, through which Terraform manages the directory.
 */
export const RESOURCE_DIRECTORY_MASTER_VERSION = '2022-04-19';
export const RESOURCE_MANAGER_VERSION = '2020-03-31';
