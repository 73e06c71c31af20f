package clinic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One PostgreSQL role and one Secret per service, each role owning its own database and able to
 * reach nothing else: a leaked password exposes one service's data, not the clinic's.
 */
class DataRolesTest {

    private static final String CNPG = "postgresql.cnpg.io/v1";

    static List<String> overlays() {
        return Repo.OVERLAYS;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyServiceHasItsOwnRoleSecretAndDatabaseAndNoOtherDatabase(String name) {
        Overlay overlay = Overlay.of(name);
        List<GenericKubernetesResource> clusters = overlay.generic(CNPG, "Cluster");
        assertThat(clusters).hasSize(1);
        GenericKubernetesResource cluster = clusters.get(0);
        String clusterName = cluster.getMetadata().getName();

        Map<String, Map<String, Object>> roles = new TreeMap<>();
        for (Map<String, Object> role : KafkaAccessTest.<Map<String, Object>>list(
                Manifests.at(cluster, "spec", "managed", "roles").orElseThrow())) {
            roles.put((String) role.get("name"), role);
        }
        Map<String, String> owners = new TreeMap<>();
        overlay.generic(CNPG, "Database").forEach(db ->
                owners.put((String) Manifests.at(db, "spec", "name").orElseThrow(), (String) Manifests.at(db, "spec", "owner").orElseThrow()));
        List<String> hba = KafkaAccessTest.list(Manifests.at(cluster, "spec", "postgresql", "pg_hba").orElseThrow());

        Set<String> users = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (String module : Repo.serviceModules()) {
            Deployment d = overlay.find(Deployment.class, module).orElseThrow();
            Map<String, String> env = overlay.environment(d);
            if (!env.containsKey("DB_NAME")) continue;
            String db = env.get("DB_NAME");
            String secret = overlay.envEntry(d, "DB_USER").orElseThrow().getValueFrom().getSecretKeyRef().getName();
            assertThat(overlay.envEntry(d, "DB_PASSWORD").orElseThrow().getValueFrom().getSecretKeyRef().getName())
                    .as("%s: user and password from one Secret", module).isEqualTo(secret);
            assertThat(secret).as("%s's Secret", module).isEqualTo(clusterName + "-" + db);
            assertThat(users.add(secret)).as("%s shares its Secret", module).isTrue();

            Map<String, Object> role = roles.get(db);
            if (role == null) {
                problems.add(module + ": no managed role " + db);
                continue;
            }
            assertThat(role).as("role %s", db).containsEntry("ensure", "present").containsEntry("login", true)
                    .containsEntry("superuser", false).containsEntry("createdb", false).containsEntry("createrole", false);
            assertThat(KafkaAccessTest.map(role.get("passwordSecret"))).as("password of role %s", db).containsEntry("name", secret);
            assertThat(owners).as("owner of database %s", db).containsEntry(db, db);
            // pg_hba: the role reaches its database (a rule before any reject), every other database is refused.
            int allow = hba.indexOf("host " + db + " " + db + " all scram-sha-256");
            int reject = -1;
            for (int i = 0; i < hba.size(); i++) {
                String[] f = hba.get(i).split("\\s+");
                if (f.length >= 5 && f[0].equals("host") && f[1].equals("all") && Set.of(f[2].split(",")).contains(db)
                        && f[4].equals("reject")) reject = i;
            }
            if (allow < 0) problems.add(module + ": no pg_hba rule for role " + db + " on database " + db);
            if (reject < 0 || reject < allow) problems.add(module + ": no pg_hba reject of role " + db + " after its own rule");
        }
        assertThat(roles.keySet()).as("managed roles: one per service database").containsExactlyInAnyOrderElementsOf(owners.keySet());
        assertThat(problems).as("roles in %s", name).isEmpty();
        // No service uses the bootstrap owner any more.
        assertThat(overlay.all(Deployment.class)).allSatisfy(d -> assertThat(String.valueOf(d.getSpec().getTemplate().getSpec()))
                .doesNotContain(clusterName + "-app"));
    }
}
