package dev.sluice.app.query;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import dev.sluice.app.aggregate.AggregateSettings;
import dev.sluice.app.aggregate.Windows;
import dev.sluice.app.connect.Problem;
import dev.sluice.app.query.Forwarding.Scope;
import dev.sluice.app.query.StoreQueryService.Gathered;
import dev.sluice.app.query.StoreQueryService.Partial;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestBean;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Interactive queries over the gold state stores, answered by whichever instance holds the data: by key (routed to
 * the key's instance), by key range (every instance asked, merged, paged with a cursor), by time range for the
 * windowed stores, and the top products of an hour. Amounts are decimal strings, times ISO-8601 UTC. While a
 * partition is being moved, a standby replica answers (header {@code X-Sluice-Stale: true}) or the answer is 503
 * with Retry-After.
 */
@Requires(property = "kafka.enabled", notEquals = "false")
@Controller("/api/stores")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "stores", description = "Interactive queries over the gold state stores, across all instances")
@ApiResponse(responseCode = "400", description = "a parameter cannot be read",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@ApiResponse(responseCode = "503", description = "a partition of the store cannot be read right now (rebalance, "
        + "restore) and no standby replica could answer; see Retry-After",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class StoreQueryController {

    private static final long HOUR = AggregateSettings.HOUR.toMillis();

    private static final Listing<CustomerTotalsView> CUSTOMER_TOTALS = new Listing<>(GoldStore.CUSTOMER_TOTALS,
            CustomerTotalsView.class, StoreReads.CUSTOMER_ORDER, StoreReads::cursorOf);
    private static final Listing<ProductHourView> PRODUCT_HOURS = new Listing<>(GoldStore.PRODUCT_REVENUE_HOURLY,
            ProductHourView.class, StoreReads.PRODUCT_HOUR_ORDER, StoreReads::cursorOf);
    private static final Listing<RegionDayView> REGION_DAYS = new Listing<>(GoldStore.REGION_REVENUE_DAILY,
            RegionDayView.class, StoreReads.REGION_DAY_ORDER, StoreReads::cursorOf);
    private static final Listing<SessionView> SESSIONS = new Listing<>(GoldStore.USER_SESSIONS, SessionView.class,
            StoreReads.SESSION_ORDER, StoreReads::cursorOf);

    private final StoreQueryService service;
    private final LocalStores local;
    private final RemoteAnswers remote;
    private final QueryConfiguration configuration;
    private final QueryErrors errors;

    public StoreQueryController(StoreQueryService service, LocalStores local, JsonMapper json,
            QueryConfiguration configuration, QueryErrors errors) {
        this.service = service;
        this.local = local;
        this.remote = new RemoteAnswers(json);
        this.configuration = configuration;
        this.errors = errors;
    }

    @Get
    @Operation(operationId = "listStores", summary = "The queryable gold stores")
    public List<StoreInfo> stores() {
        return Arrays.stream(GoldStore.values()).map(store -> new StoreInfo(store.storeName(), store.kind(),
                store.keyName(), store.keyType(), store.description())).toList();
    }

    // ---- customer-totals -------------------------------------------------------------------------------------

    @Get("/customer-totals/{customerId}")
    @Operation(operationId = "getCustomerTotals", summary = "Running totals of one customer")
    @ApiResponse(responseCode = "200", description = "the customer's totals",
            content = @Content(schema = @Schema(implementation = CustomerTotalsView.class)))
    @ApiResponse(responseCode = "404", description = "no order of this customer was counted",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public HttpResponse<?> customerTotals(HttpRequest<?> request, @PathVariable String customerId) {
        long id = (Long) KeyType.LONG.parse(customerId, "customerId");
        return byKey(request, GoldStore.CUSTOMER_TOTALS, id, (partition, anyCopy) -> local.customerTotals(partition,
                anyCopy, store -> StoreReads.customer(store, id)), "no order of customer " + id + " was counted");
    }

    // Keys only: customer totals are not windowed, so this listing takes no time range (no PageRequest bean).
    @Get("/customer-totals{?keyFrom,keyTo,limit,cursor}")
    @Operation(operationId = "listCustomerTotals", summary = "Customer totals by customer id range, paged")
    @ApiResponse(responseCode = "200", description = "one page, by customer id")
    public HttpResponse<Page<CustomerTotalsView>> customerTotalsPage(HttpRequest<?> request,
            @Parameter(description = PageRequest.KEY_FROM) @Nullable @QueryValue String keyFrom,
            @Parameter(description = PageRequest.KEY_TO) @Nullable @QueryValue String keyTo,
            @Parameter(description = PageRequest.LIMIT) @Nullable @QueryValue String limit,
            @Parameter(description = PageRequest.CURSOR) @Nullable @QueryValue String cursor) {
        PageRequest page = PageRequest.ofKeys(keyFrom, keyTo, limit, cursor);
        int max = page.limit(configuration);
        KeyRange keys = page.keys(KeyType.LONG);
        Cursor after = page.after(KeyType.LONG);
        return page(request, CUSTOMER_TOTALS, max, (partition, anyCopy) -> local.customerTotals(partition, anyCopy,
                store -> StoreReads.customers(store, keys, after, max + 1)));
    }

    // ---- product-revenue-hourly ------------------------------------------------------------------------------

    @Get("/product-revenue-hourly/top{?hour,n}")
    @Operation(operationId = "topProducts", summary = "The products with the highest revenue in one hour")
    @ApiResponse(responseCode = "200", description = "at most n products, highest revenue first")
    public HttpResponse<TopProducts> topProducts(HttpRequest<?> request,
            @Parameter(description = "an instant in the hour, ISO-8601 (e.g. 2026-11-22T10:00:00Z)", required = true)
            @Nullable @QueryValue String hour,
            @Parameter(description = "how many products (default 10, at most 100)") @Nullable @QueryValue String n) {
        if (hour == null || hour.isBlank()) {
            throw QueryException.badRequest("hour is required");
        }
        long start = Windows.start(TimeRange.instant(hour, "hour"), HOUR);
        int top = QueryParameters.number(n, "n", 10, configuration.getMaxTop());
        Gathered<ProductHourView> gathered = gather(request, GoldStore.PRODUCT_REVENUE_HOURLY,
                (partition, anyCopy) -> local.productRevenue(partition, anyCopy,
                        store -> StoreReads.topProducts(store, start, top)),
                body -> new Partial<>(remote.read(body, TopProducts.class).products(), false));
        List<ProductHourView> products = gathered.items().stream().sorted(StoreReads.TOP_ORDER).limit(top).toList();
        return Forwarding.served(HttpResponse.ok(new TopProducts(GoldViews.time(start), GoldViews.time(start + HOUR),
                top, products)), gathered);
    }

    @Get("/product-revenue-hourly/{productId}{?from,to}")
    @Operation(operationId = "getProductRevenue",
            summary = "Revenue of one product over the hours that start in [from, to), with the hours")
    @ApiResponse(responseCode = "200", description = "totals and hours (none when nothing was sold)",
            content = @Content(schema = @Schema(implementation = ProductRevenue.class)))
    public HttpResponse<?> productRevenue(HttpRequest<?> request, @PathVariable String productId,
            @Parameter(description = PageRequest.FROM) @Nullable @QueryValue String from,
            @Parameter(description = PageRequest.TO) @Nullable @QueryValue String to) {
        long id = (Long) KeyType.LONG.parse(productId, "productId");
        TimeRange range = TimeRange.parse(from, to);
        return byKey(request, GoldStore.PRODUCT_REVENUE_HOURLY, id, (partition, anyCopy) -> local.productRevenue(
                partition, anyCopy, store -> GoldSummaries.productTotals(id, range,
                        StoreReads.productHours(store, id, range))), null);
    }

    @Get("/product-revenue-hourly{?keyFrom,keyTo,from,to,limit,cursor}")
    @Operation(operationId = "listProductRevenue",
            summary = "Product hours by product id range and hour range, paged by product then hour")
    @ApiResponse(responseCode = "200", description = "one page")
    public HttpResponse<Page<ProductHourView>> productRevenuePage(HttpRequest<?> request,
            @RequestBean PageRequest page) {
        return windowedPage(request, PRODUCT_HOURS, page, local::productRevenue, StoreReads::productHourPage);
    }

    // ---- region-revenue-daily --------------------------------------------------------------------------------

    @Get("/region-revenue-daily/{region}{?from,to}")
    @Operation(operationId = "getRegionRevenue",
            summary = "Revenue of one customer region over the days that start in [from, to), with the days")
    @ApiResponse(responseCode = "200", description = "totals and days (none when no order was counted)",
            content = @Content(schema = @Schema(implementation = RegionRevenue.class)))
    public HttpResponse<?> regionRevenue(HttpRequest<?> request, @PathVariable String region,
            @Parameter(description = PageRequest.FROM) @Nullable @QueryValue String from,
            @Parameter(description = PageRequest.TO) @Nullable @QueryValue String to) {
        String key = (String) KeyType.STRING.parse(region, "region");
        TimeRange range = TimeRange.parse(from, to);
        return byKey(request, GoldStore.REGION_REVENUE_DAILY, key, (partition, anyCopy) -> local.regionRevenue(
                partition, anyCopy, store -> GoldSummaries.regionTotals(key, range,
                        StoreReads.regionDays(store, key, range))), null);
    }

    @Get("/region-revenue-daily{?keyFrom,keyTo,from,to,limit,cursor}")
    @Operation(operationId = "listRegionRevenue",
            summary = "Region days by region range and day range, paged by region then day")
    @ApiResponse(responseCode = "200", description = "one page")
    public HttpResponse<Page<RegionDayView>> regionRevenuePage(HttpRequest<?> request,
            @RequestBean PageRequest page) {
        return windowedPage(request, REGION_DAYS, page, local::regionRevenue, StoreReads::regionDayPage);
    }

    // ---- user-sessions ---------------------------------------------------------------------------------------

    @Get("/user-sessions/{userId}{?from,to}")
    @Operation(operationId = "getUserSessions", summary = "The sessions of one user that overlap [from, to)")
    @ApiResponse(responseCode = "200", description = "the sessions, oldest first (none when the user had none)",
            content = @Content(schema = @Schema(implementation = UserSessions.class)))
    public HttpResponse<?> userSessions(HttpRequest<?> request, @PathVariable String userId,
            @Parameter(description = PageRequest.FROM) @Nullable @QueryValue String from,
            @Parameter(description = PageRequest.TO) @Nullable @QueryValue String to) {
        String key = (String) KeyType.STRING.parse(userId, "userId");
        TimeRange range = TimeRange.parse(from, to);
        return byKey(request, GoldStore.USER_SESSIONS, key, (partition, anyCopy) -> local.userSessions(partition,
                anyCopy, store -> new UserSessions(key, range.fromText(), range.toText(),
                        StoreReads.sessions(store, key, range))), null);
    }

    @Get("/user-sessions{?keyFrom,keyTo,from,to,limit,cursor}")
    @Operation(operationId = "listUserSessions",
            summary = "Sessions by user id range that overlap [from, to), paged by user then session start")
    @ApiResponse(responseCode = "200", description = "one page")
    public HttpResponse<Page<SessionView>> userSessionsPage(HttpRequest<?> request,
            @RequestBean PageRequest page) {
        return windowedPage(request, SESSIONS, page, local::userSessions, StoreReads::sessionPage);
    }

    /** Every failure of this API as a problem: 400, 404, 503 with Retry-After; 500 only for a bug. */
    @Error(exception = RuntimeException.class)
    HttpResponse<Problem> failed(HttpRequest<?> request, RuntimeException e) {
        return errors.handle(request, e);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** How the items of one store's pages are decoded from another instance's answer, ordered and resumed. */
    private record Listing<T>(GoldStore store, Class<T> type, Comparator<T> order, Function<T, Cursor> cursorOf) {
    }

    /** A query for one key, read here or answered by the instance that holds the key. */
    private <T> HttpResponse<?> byKey(HttpRequest<?> request, GoldStore store, Object key, PartitionRead<T> read,
            @Nullable String notFound) {
        return Forwarding.keyResponse(service.byKey(store, key, Scope.of(request), Forwarding.pathAndQuery(request),
                read), notFound);
    }

    /** This instance's read of one partition of a store, as {@link LocalStores} offers each store. */
    @FunctionalInterface
    private interface StoreAccess<S, R> {
        R read(int partition, boolean anyCopy, Function<S, R> read);
    }

    /** The entries of one store partition in a key range and time range, after the cursor, at most {@code max}. */
    @FunctionalInterface
    private interface RangePage<S, T> {
        List<T> read(S store, KeyRange keys, TimeRange range, @Nullable Cursor after, int max);
    }

    /**
     * One page of a store with a time dimension (window or session store), by key range of the store's key type and
     * time range. Each partition reads one more than the page holds, so that the merge knows whether a next exists.
     */
    private <S, T> HttpResponse<Page<T>> windowedPage(HttpRequest<?> request, Listing<T> listing, PageRequest page,
            StoreAccess<S, List<T>> access, RangePage<S, T> rangePage) {
        int max = page.limit(configuration);
        KeyType keyType = listing.store().keyType();
        KeyRange keys = page.keys(keyType);
        TimeRange range = page.range();
        Cursor after = page.after(keyType);
        return page(request, listing, max, (partition, anyCopy) -> access.read(partition, anyCopy,
                store -> rangePage.read(store, keys, range, after, max + 1)));
    }

    /** One page of a query over every partition of the listing's store, at most {@code max} items. */
    private <T> HttpResponse<Page<T>> page(HttpRequest<?> request, Listing<T> listing, int max,
            PartitionRead<List<T>> read) {
        Gathered<T> gathered = gather(request, listing.store(), read, body -> remote.page(body, listing.type()));
        return Forwarding.served(HttpResponse.ok(gathered.page(listing.order(), max, listing.cursorOf(),
                listing.store().keyType())), gathered);
    }

    private <T> Gathered<T> gather(HttpRequest<?> request, GoldStore store, PartitionRead<List<T>> read,
            Function<byte[], Partial<T>> decode) {
        return service.gather(store, Scope.of(request), Forwarding.pathAndQuery(request), read, decode);
    }
}
