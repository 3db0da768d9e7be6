/** Folders nest at most this many levels below the Root folder (`LimitExceeded.Folder.Depth`). */
export const MAX_FOLDER_DEPTH = 5;
