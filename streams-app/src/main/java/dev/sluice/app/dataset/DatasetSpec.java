package dev.sluice.app.dataset;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.sluice.app.silver.PiiAction;
import dev.sluice.app.validate.EntityRules;

/**
 * One dataset specification (a {@code <name>.yaml} file of the datasets directory, see docs/datasets.md): what the
 * platform carries from a source to silver and the lake, without Java.
 *
 * @param description free text; empty when not given
 * @param key the fields forming the silver key; empty: the bronze key bytes are kept (string keys)
 * @param rules validation and dedupe rules in the language of {@code sluice.validation}, entity = name
 * @param pii field to the action applied before silver
 * @param freshnessSla the dataset's freshness SLA; empty: the platform default
 */
public record DatasetSpec(String name, String description, DatasetSource source, List<String> key,
        EntityRules rules, Map<String, PiiAction> pii, SilverSpec silver, Optional<LakeSpec> lake,
        Optional<Duration> freshnessSla) {
}
