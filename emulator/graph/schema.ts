// The Microsoft Graph v1.0 entity types the emulator serves, by their property names: what `$select` and `$filter`
// may name. A property of the type that the emulator does not model comes back null, as an unset property does on
// Graph; a name the type does not have is refused, as Graph's OData parser refuses it.
// Sources: the resource pages under https://learn.microsoft.com/graph/api/resources/ (user, presence,
// conversationmember, aaduserconversationmember, directoryobject, group), checked against Microsoft's generated
// v1.0 models (@microsoft/msgraph-sdk).

export interface EntityType {
  /** The qualified name, as Graph's errors and `@odata.type` name it. */
  name: string;
  /** Properties that carry values (primitives, complex types, collections of them). */
  structural: readonly string[];
  /** Relationships: selectable, but never returned without `$expand`. */
  navigation: readonly string[];
}

const DIRECTORY_OBJECT_PROPERTIES = ['id', 'deletedDateTime'];

/** https://learn.microsoft.com/graph/api/resources/user (properties and relationships). */
export const USER: EntityType = {
  name: 'microsoft.graph.user',
  structural: [
    ...DIRECTORY_OBJECT_PROPERTIES,
    'aboutMe',
    'accountEnabled',
    'ageGroup',
    'assignedLicenses',
    'assignedPlans',
    'authorizationInfo',
    'birthday',
    'businessPhones',
    'city',
    'companyName',
    'consentProvidedForMinor',
    'country',
    'createdDateTime',
    'creationType',
    'customSecurityAttributes',
    'department',
    'deviceEnrollmentLimit',
    'displayName',
    'employeeHireDate',
    'employeeId',
    'employeeLeaveDateTime',
    'employeeOrgData',
    'employeeType',
    'externalUserState',
    'externalUserStateChangeDateTime',
    'faxNumber',
    'givenName',
    'hireDate',
    'identities',
    'imAddresses',
    'interests',
    'isManagementRestricted',
    'isResourceAccount',
    'jobTitle',
    'lastPasswordChangeDateTime',
    'legalAgeGroupClassification',
    'licenseAssignmentStates',
    'mail',
    'mailboxSettings',
    'mailNickname',
    'mobilePhone',
    'mySite',
    'officeLocation',
    'onPremisesDistinguishedName',
    'onPremisesDomainName',
    'onPremisesExtensionAttributes',
    'onPremisesImmutableId',
    'onPremisesLastSyncDateTime',
    'onPremisesProvisioningErrors',
    'onPremisesSamAccountName',
    'onPremisesSecurityIdentifier',
    'onPremisesSyncEnabled',
    'onPremisesUserPrincipalName',
    'otherMails',
    'passwordPolicies',
    'passwordProfile',
    'pastProjects',
    'postalCode',
    'preferredDataLocation',
    'preferredLanguage',
    'preferredName',
    'print',
    'provisionedPlans',
    'proxyAddresses',
    'responsibilities',
    'schools',
    'securityIdentifier',
    'serviceProvisioningErrors',
    'showInAddressList',
    'signInActivity',
    'signInSessionsValidFromDateTime',
    'skills',
    'state',
    'streetAddress',
    'surname',
    'usageLocation',
    'userPrincipalName',
    'userType',
  ],
  navigation: [
    'activities',
    'adhocCalls',
    'agreementAcceptances',
    'appRoleAssignments',
    'authentication',
    'calendar',
    'calendarGroups',
    'calendars',
    'calendarView',
    'chats',
    'cloudClipboard',
    'cloudPCs',
    'contactFolders',
    'contacts',
    'createdObjects',
    'dataSecurityAndGovernance',
    'deviceManagementTroubleshootingEvents',
    'directReports',
    'drive',
    'drives',
    'employeeExperience',
    'events',
    'extensions',
    'followedSites',
    'inferenceClassification',
    'insights',
    'joinedTeams',
    'licenseDetails',
    'mailFolders',
    'managedAppRegistrations',
    'managedDevices',
    'manager',
    'memberOf',
    'messages',
    'onenote',
    'onlineMeetings',
    'onPremisesSyncBehavior',
    'outlook',
    'ownedDevices',
    'ownedObjects',
    'people',
    'permissionGrants',
    'photo',
    'photos',
    'planner',
    'presence',
    'registeredDevices',
    'scopedRoleMemberOf',
    'settings',
    'solutions',
    'sponsors',
    'teamwork',
    'todo',
    'transitiveMemberOf',
  ],
};

/**
 * The properties a user read returns without `$select` (https://learn.microsoft.com/graph/api/user-get: "returns by
 * default only a subset of the more commonly used properties").
 */
export const USER_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

/**
 * A `directoryObject` collection (group members) accepts the properties of the types it may hold; these are the
 * group's, next to the user's. https://learn.microsoft.com/graph/api/resources/group
 */
const GROUP_ONLY_PROPERTIES = [
  'classification',
  'description',
  'expirationDateTime',
  'groupTypes',
  'isAssignableToRole',
  'mailEnabled',
  'membershipRule',
  'membershipRuleProcessingState',
  'renewedDateTime',
  'securityEnabled',
  'theme',
  'visibility',
];

/** https://learn.microsoft.com/graph/api/resources/directoryobject, as the members of a group are typed. */
export const DIRECTORY_OBJECT: EntityType = {
  name: 'microsoft.graph.directoryObject',
  structural: [...USER.structural, ...GROUP_ONLY_PROPERTIES],
  navigation: USER.navigation,
};

/** https://learn.microsoft.com/graph/api/resources/presence */
export const PRESENCE: EntityType = {
  name: 'microsoft.graph.presence',
  structural: [
    'id',
    'activity',
    'availability',
    'outOfOfficeSettings',
    'sequenceNumber',
    'statusMessage',
    'workLocation',
  ],
  navigation: [],
};

/** https://learn.microsoft.com/graph/api/resources/conversationmember: what a team's member list is typed as. */
export const CONVERSATION_MEMBER: EntityType = {
  name: 'microsoft.graph.conversationMember',
  structural: ['id', 'displayName', 'roles', 'visibleHistoryStartDateTime'],
  navigation: [],
};

/** https://learn.microsoft.com/graph/api/resources/aaduserconversationmember: reached with a cast in `$filter`/`$select`. */
export const AAD_USER_CONVERSATION_MEMBER: EntityType = {
  name: 'microsoft.graph.aadUserConversationMember',
  structural: [...CONVERSATION_MEMBER.structural, 'email', 'tenantId', 'userId'],
  navigation: ['user'],
};

/** The casts `/groups/{id}/members/{cast}` takes: the types a group's members can have. */
export const MEMBER_CASTS: Record<string, string> = {
  'microsoft.graph.user': 'users',
  'microsoft.graph.group': 'groups',
  'microsoft.graph.orgcontact': 'contacts',
  'microsoft.graph.device': 'devices',
  'microsoft.graph.serviceprincipal': 'servicePrincipals',
};

/** The property as the type spells it (names match case-insensitively, as Graph's parser does), or undefined. */
export function propertyOf(type: EntityType, name: string): { name: string; navigation: boolean } | undefined {
  const lower = name.toLowerCase();
  const structural = type.structural.find((p) => p.toLowerCase() === lower);
  if (structural) return { name: structural, navigation: false };
  const navigation = type.navigation.find((p) => p.toLowerCase() === lower);
  return navigation ? { name: navigation, navigation: true } : undefined;
}
