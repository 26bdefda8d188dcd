package dev.sluice.deploy;

import java.util.List;
import java.util.Map;

/** The ACLs of a Strimzi KafkaUser ({@code spec.authorization.acls}), asked as the brokers' authorizer would. */
final class KafkaAcls {

    private final List<Map<String, Object>> acls;

    KafkaAcls(Map<String, Object> user) {
        this.acls = Tree.maps(user, "spec", "authorization", "acls");
    }

    List<Map<String, Object>> all() {
        return acls;
    }

    /** Whether an ACL allows {@code operation} on the resource of this type and name (literal or prefix match). */
    boolean allows(String type, String name, String operation) {
        return acls.stream().anyMatch(acl -> type.equals(Tree.text(acl, "resource", "type"))
                && matches(acl, name) && operations(acl).contains(operation));
    }

    private static boolean matches(Map<String, Object> acl, String name) {
        String resource = String.valueOf(Tree.text(acl, "resource", "name"));
        return "prefix".equals(Tree.text(acl, "resource", "patternType")) ? name.startsWith(resource)
                : resource.equals(name);
    }

    static List<Object> operations(Map<String, Object> acl) {
        return Tree.list(acl, "operations");
    }
}
