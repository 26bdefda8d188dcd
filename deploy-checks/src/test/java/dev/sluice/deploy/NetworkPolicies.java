package dev.sluice.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the NetworkPolicies of a build let one pod reach another on a port, as Kubernetes decides it: a pod
 * selected by no policy of a direction is open in that direction; a selected pod accepts only what a rule of one of
 * its policies allows (policies add up). Peers are pods of the same namespace (podSelector), of any namespace
 * ({@code namespaceSelector: {}}) or addresses (ipBlock); the brokers' listener policies that Strimzi generates
 * from {@code networkPolicyPeers} are part of the build.
 */
final class NetworkPolicies {

    /** A pod as the policies see it: its labels, and whether it runs in the deployment's namespace. */
    record Pod(String name, Map<String, Object> labels, boolean sameNamespace) {

        static Pod of(String name, Map<String, Object> labels) {
            return new Pod(name, labels, true);
        }

        /** A client outside the namespace: an ingress controller, Prometheus, a user's port-forward. */
        static Pod outside(String name) {
            return new Pod(name, Map.of(), false);
        }
    }

    private final List<Map<String, Object>> policies = new ArrayList<>();

    NetworkPolicies(Kustomize.Output out) {
        policies.addAll(out.ofKind("NetworkPolicy"));
        for (Map<String, Object> kafka : out.ofKind("Kafka")) {
            String cluster = Tree.text(kafka, "metadata", "name");
            for (Map<String, Object> listener : Tree.maps(kafka, "spec", "kafka", "listeners")) {
                List<Object> peers = Tree.list(listener, "networkPolicyPeers");
                // What Strimzi generates: the listener's port, from the peers (from anyone without peers).
                Map<String, Object> rule = peers.isEmpty()
                        ? Map.of("ports", List.of(Map.of("port", Tree.text(listener, "port"))))
                        : Map.of("ports", List.of(Map.of("port", Tree.text(listener, "port"))), "from", peers);
                policies.add(Map.of("kind", "NetworkPolicy", "metadata", Map.of("name", cluster
                        + "-network-policy-kafka"), "spec", Map.of("podSelector", Map.of("matchLabels", Map.of(
                                "strimzi.io/cluster", cluster, "strimzi.io/kind", "Kafka")),
                        "policyTypes", List.of("Ingress"), "ingress", List.of(rule))));
            }
        }
    }

    List<Map<String, Object>> all() {
        return policies;
    }

    boolean allows(Pod from, Pod to, int port) {
        return (!from.sameNamespace() || open(from, to, port, "Egress", "egress", "to"))
                && (!to.sameNamespace() || open(to, from, port, "Ingress", "ingress", "from"));
    }

    /** Egress to an address outside the cluster (ipBlock) on a port. */
    boolean allowsOutside(Pod from, int port) {
        return open(from, null, port, "Egress", "egress", "to");
    }

    private boolean open(Pod pod, Pod peer, int port, String type, String direction, String peersField) {
        boolean selected = false;
        for (Map<String, Object> policy : policies) {
            if (!selects(Tree.map(policy, "spec", "podSelector"), pod.labels())
                    || !Tree.list(policy, "spec", "policyTypes").contains(type)) {
                continue;
            }
            selected = true;
            for (Map<String, Object> rule : Tree.maps(policy, "spec", direction)) {
                if (portMatches(rule, port) && peerMatches(rule, peersField, peer)) {
                    return true;
                }
            }
        }
        return !selected;
    }

    private static boolean portMatches(Map<String, Object> rule, int port) {
        List<Map<String, Object>> ports = Tree.maps(rule, "ports");
        return ports.isEmpty() || ports.stream().anyMatch(p -> String.valueOf(port).equals(Tree.text(p, "port")));
    }

    private static boolean peerMatches(Map<String, Object> rule, String field, Pod peer) {
        List<Map<String, Object>> peers = Tree.maps(rule, field);
        if (peers.isEmpty()) {
            return true;
        }
        for (Map<String, Object> candidate : peers) {
            boolean hasNamespace = Tree.at(candidate, "namespaceSelector") != null;
            boolean hasPods = Tree.at(candidate, "podSelector") != null;
            if (peer == null) {
                if (Tree.at(candidate, "ipBlock") != null) {
                    return true;
                }
                continue;
            }
            // namespaceSelector {} is every namespace; a non-empty one names namespaces none of these pods run in.
            boolean namespaceOk = hasNamespace ? Tree.map(candidate, "namespaceSelector").isEmpty()
                    : peer.sameNamespace();
            boolean podOk = !hasPods || selects(Tree.map(candidate, "podSelector"), peer.labels());
            if ((hasNamespace || hasPods) && namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    /** A label selector (matchLabels only; matchExpressions are not used here) selecting these labels. */
    static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        if (!Tree.list(selector, "matchExpressions").isEmpty()) {
            throw new IllegalArgumentException("matchExpressions are not understood by this check: " + selector);
        }
        return labels.entrySet().containsAll(Tree.map(selector, "matchLabels").entrySet());
    }
}
