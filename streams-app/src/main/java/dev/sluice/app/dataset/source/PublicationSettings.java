package dev.sluice.app.dataset.source;

import java.util.ArrayList;
import java.util.List;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Settings {@code sluice.datasets.publication.*}: the database login with which streams-app adds the tables of
 * {@code cdc} datasets to their CDC connector's publication, and the tables it never takes out again.
 */
@ConfigurationProperties("sluice.datasets.publication")
public class PublicationSettings {

    private String user = "sluice_publisher";
    private String password = "";
    private List<String> keptTables = new ArrayList<>(List.of("public.customers", "public.products",
            "public.orders", "public.order_items"));

    /**
     * A role with the ownership rights of the publication and of the tables (PostgreSQL demands both for
     * {@code ALTER PUBLICATION .. ADD TABLE}); never a superuser, and not the CDC role (which needs REPLICATION, not
     * ownership). Host, port and database are the CDC connector's.
     */
    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    /** Its password; from the environment only ({@code SLUICE_DATASETS_PUBLICATION_PASSWORD}), never logged. */
    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    /**
     * Tables (schema.table) that deleting a dataset leaves in the include list and the publication: the shop's
     * order enrichment reads them whether or not a dataset names them.
     */
    public List<String> getKeptTables() {
        return keptTables;
    }

    public void setKeptTables(List<String> keptTables) {
        this.keptTables = keptTables;
    }
}
