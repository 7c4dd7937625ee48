/** The profile fields read from Graph (`$select`), for people looked up and for a group's members. */
export const PROFILE_FIELDS = 'id,displayName,userPrincipalName,mail,jobTitle';
