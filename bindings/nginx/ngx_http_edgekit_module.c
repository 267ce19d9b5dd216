
/*
 * Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
 *
 * ngx_http_edgekit_module: JWT access control in nginx's access phase,
 * and flash-sale holds from an inventory region in an nginx shared-memory
 * zone, written against edgekit's public C ABI only (include/edgekit.h).
 * Key sets and verifiers are built at configuration time; a request costs
 * one verify into a per-worker claims object and a few bytes of its pool.
 */


#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include "edgekit.h"


/* A JWKS or PEM file larger than this is a mistake, not a key set. */
#define NGX_HTTP_EDGEKIT_MAX_KEY_FILE  (1024 * 1024)

#define NGX_HTTP_EDGEKIT_CLAIM_PREFIX  "edgekit_jwt_claim_"

/* How often each worker returns the units of expired holds. */
#define NGX_HTTP_EDGEKIT_EXPIRE_MS     1000


typedef struct {
    ngx_str_t                   sku;
    ngx_uint_t                  units;
} ngx_http_edgekit_stock_t;


typedef struct {
    edgekit_inventory_config    config;
    size_t                      region_size;
    ngx_array_t                 stock;      /* of ngx_http_edgekit_stock_t */
    void                       *region;
    edgekit_inventory          *inventory;  /* this process's handle */
    ngx_shm_zone_t             *shm_zone;
} ngx_http_edgekit_zone_t;


typedef struct {
    ngx_array_t                 zones;      /* of ngx_http_edgekit_zone_t * */
} ngx_http_edgekit_main_conf_t;


typedef struct {
    ngx_flag_t                  enable;
    edgekit_keyset             *keys;
    ngx_array_t                *issuers;
    ngx_array_t                *audiences;
    ngx_array_t                *algorithms;
    time_t                      leeway;
    ngx_uint_t                  cache;
    ngx_http_complex_value_t   *token;
    edgekit_verifier           *verifier;

    ngx_shm_zone_t             *acquire_zone;
    ngx_http_complex_value_t   *acquire_sku;
    ngx_http_complex_value_t   *acquire_buyer;
    ngx_uint_t                  acquire_units;
    ngx_msec_t                  acquire_ttl;
} ngx_http_edgekit_loc_conf_t;


typedef struct {
    edgekit_status              status;
    ngx_str_t                   token;
    const edgekit_verifier     *verifier;
    time_t                      now;
    /* The value of ngx_http_edgekit_generation right after this request's
     * verify: if it still matches, the worker's claims object holds this
     * request's payload. */
    ngx_uint_t                  generation;
} ngx_http_edgekit_ctx_t;


static ngx_int_t ngx_http_edgekit_access_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_edgekit_find_token(ngx_http_request_t *r,
    ngx_http_edgekit_loc_conf_t *elcf, ngx_str_t *token);
static ngx_int_t ngx_http_edgekit_unauthorized(ngx_http_request_t *r,
    ngx_uint_t invalid);
static ngx_int_t ngx_http_edgekit_status_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_http_edgekit_claim_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static ngx_int_t ngx_http_edgekit_acquire_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_edgekit_init_zone(ngx_shm_zone_t *shm_zone,
    void *data);
static void ngx_http_edgekit_expire_handler(ngx_event_t *ev);
static void *ngx_http_edgekit_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_edgekit_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_edgekit_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static edgekit_str *ngx_http_edgekit_strs(ngx_conf_t *cf, ngx_array_t *a,
    size_t *n);
static char *ngx_http_edgekit_keys(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_edgekit_algorithms(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_edgekit_zone(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_edgekit_stock(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_edgekit_acquire(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static ngx_shm_zone_t *ngx_http_edgekit_find_zone(ngx_conf_t *cf,
    ngx_str_t *name);
static void ngx_http_edgekit_free_keyset(void *data);
static void ngx_http_edgekit_free_inventory(void *data);
static void ngx_http_edgekit_free_verifier(void *data);
static ngx_int_t ngx_http_edgekit_add_variables(ngx_conf_t *cf);
static ngx_int_t ngx_http_edgekit_init(ngx_conf_t *cf);
static ngx_int_t ngx_http_edgekit_init_process(ngx_cycle_t *cycle);
static void ngx_http_edgekit_exit_process(ngx_cycle_t *cycle);


static ngx_command_t  ngx_http_edgekit_commands[] = {

    { ngx_string("edgekit_jwt"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_edgekit_loc_conf_t, enable),
      NULL },

    { ngx_string("edgekit_jwt_keys"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE12,
      ngx_http_edgekit_keys,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("edgekit_jwt_issuer"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_array_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_edgekit_loc_conf_t, issuers),
      NULL },

    { ngx_string("edgekit_jwt_audience"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_str_array_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_edgekit_loc_conf_t, audiences),
      NULL },

    { ngx_string("edgekit_jwt_algorithms"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_1MORE,
      ngx_http_edgekit_algorithms,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_edgekit_loc_conf_t, algorithms),
      NULL },

    { ngx_string("edgekit_jwt_leeway"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_sec_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_edgekit_loc_conf_t, leeway),
      NULL },

    { ngx_string("edgekit_jwt_cache"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_conf_set_num_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_edgekit_loc_conf_t, cache),
      NULL },

    { ngx_string("edgekit_jwt_token"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_set_complex_value_slot,
      NGX_HTTP_LOC_CONF_OFFSET,
      offsetof(ngx_http_edgekit_loc_conf_t, token),
      NULL },

    { ngx_string("edgekit_inventory_zone"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_2MORE,
      ngx_http_edgekit_zone,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("edgekit_inventory_stock"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE3,
      ngx_http_edgekit_stock,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("edgekit_inventory_acquire"),
      NGX_HTTP_LOC_CONF|NGX_CONF_2MORE,
      ngx_http_edgekit_acquire,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_edgekit_module_ctx = {
    ngx_http_edgekit_add_variables,        /* preconfiguration */
    ngx_http_edgekit_init,                 /* postconfiguration */

    ngx_http_edgekit_create_main_conf,     /* create main configuration */
    NULL,                                  /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    ngx_http_edgekit_create_loc_conf,      /* create location configuration */
    ngx_http_edgekit_merge_loc_conf        /* merge location configuration */
};


ngx_module_t  ngx_http_edgekit_module = {
    NGX_MODULE_V1,
    &ngx_http_edgekit_module_ctx,          /* module context */
    ngx_http_edgekit_commands,             /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    ngx_http_edgekit_init_process,         /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    ngx_http_edgekit_exit_process,         /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


/*
 * A worker is single-threaded, so one claims object serves all its requests;
 * the generation counter says which request's payload it holds now.
 */
static edgekit_claims  *ngx_http_edgekit_claims;
static ngx_uint_t       ngx_http_edgekit_generation;

static ngx_event_t      ngx_http_edgekit_expire_event;


static ngx_http_variable_t  ngx_http_edgekit_vars[] = {

    /* Not cacheable: a variable read before the access phase (in a rewrite
     * "set", say) must not pin "not found" for the rest of the request. */
    { ngx_string("edgekit_jwt_status"), NULL,
      ngx_http_edgekit_status_variable, 0, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string(NGX_HTTP_EDGEKIT_CLAIM_PREFIX), NULL,
      ngx_http_edgekit_claim_variable, 0,
      NGX_HTTP_VAR_NOCACHEABLE|NGX_HTTP_VAR_PREFIX, 0 },

      ngx_http_null_variable
};


static ngx_str_t  ngx_http_edgekit_bearer = ngx_string("Bearer");
static ngx_str_t  ngx_http_edgekit_invalid =
    ngx_string("Bearer error=\"invalid_token\"");


static ngx_int_t
ngx_http_edgekit_access_handler(ngx_http_request_t *r)
{
    edgekit_status                status;
    ngx_http_edgekit_ctx_t       *ctx;
    ngx_http_edgekit_loc_conf_t  *elcf;

    elcf = ngx_http_get_module_loc_conf(r, ngx_http_edgekit_module);

    if (!elcf->enable || elcf->verifier == NULL) {
        return NGX_DECLINED;
    }

    /* An internal redirect clears the module contexts, so a context found
     * here is from this pass and a fresh one is needed otherwise. */
    ctx = ngx_http_get_module_ctx(r, ngx_http_edgekit_module);

    if (ctx == NULL) {
        ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_edgekit_ctx_t));
        if (ctx == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_http_set_ctx(r, ctx, ngx_http_edgekit_module);
    }

    if (ngx_http_edgekit_find_token(r, elcf, &ctx->token) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ctx->token.len == 0) {
        ctx->status = EDGEKIT_E_NO_TOKEN;

        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "edgekit_jwt: access refused: %s",
                      edgekit_status_name(ctx->status));

        return ngx_http_edgekit_unauthorized(r, 0);
    }

    ctx->verifier = elcf->verifier;
    ctx->now = ngx_time();

    status = edgekit_verifier_verify(elcf->verifier, ngx_http_edgekit_claims,
                                     (const char *) ctx->token.data,
                                     ctx->token.len, (int64_t) ctx->now);

    ctx->status = status;
    ctx->generation = ++ngx_http_edgekit_generation;

    if (status != EDGEKIT_OK) {
        ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                      "edgekit_jwt: access refused: %s",
                      edgekit_status_name(status));

        return ngx_http_edgekit_unauthorized(r, 1);
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_edgekit_find_token(ngx_http_request_t *r,
    ngx_http_edgekit_loc_conf_t *elcf, ngx_str_t *token)
{
    u_char           *p, *last;
    ngx_table_elt_t  *h;

    if (elcf->token) {
        return ngx_http_complex_value(r, elcf->token, token);
    }

    token->len = 0;
    token->data = NULL;

    h = r->headers_in.authorization;

    if (h == NULL
        || h->value.len < sizeof("Bearer ") - 1
        || ngx_strncasecmp(h->value.data, (u_char *) "Bearer ",
                           sizeof("Bearer ") - 1)
           != 0)
    {
        return NGX_OK;
    }

    p = h->value.data + sizeof("Bearer ") - 1;
    last = h->value.data + h->value.len;

    while (p < last && (*p == ' ' || *p == '\t')) {
        p++;
    }

    while (last > p && (last[-1] == ' ' || last[-1] == '\t')) {
        last--;
    }

    token->data = p;
    token->len = last - p;

    return NGX_OK;
}


/* RFC 6750 section 3: no error code when the request carried no token. */
static ngx_int_t
ngx_http_edgekit_unauthorized(ngx_http_request_t *r, ngx_uint_t invalid)
{
    ngx_table_elt_t  *h;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
    ngx_str_set(&h->key, "WWW-Authenticate");
    h->value = invalid ? ngx_http_edgekit_invalid : ngx_http_edgekit_bearer;

    r->headers_out.www_authenticate = h;

    return NGX_HTTP_UNAUTHORIZED;
}


static ngx_int_t
ngx_http_edgekit_status_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    const char              *name;
    ngx_http_edgekit_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_edgekit_module);

    if (ctx == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    name = edgekit_status_name(ctx->status);

    v->data = (u_char *) name;
    v->len = ngx_strlen(name);
    v->valid = 1;
    v->no_cacheable = 0;
    v->not_found = 0;

    return NGX_OK;
}


/*
 * $edgekit_jwt_claim_<name>: a string claim unescaped, a number or boolean
 * as its JSON text; objects, arrays, null and absent claims are not found.
 * The value is copied into the request pool because the worker's claims
 * object is overwritten by the next request's verify.
 */
static ngx_int_t
ngx_http_edgekit_claim_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    ngx_str_t *var = (ngx_str_t *) data;

    u_char                  *p;
    size_t                   i, json_len, len;
    const char              *name, *json;
    size_t                   name_len;
    edgekit_status           status;
    ngx_http_edgekit_ctx_t  *ctx;

    v->not_found = 1;

    ctx = ngx_http_get_module_ctx(r, ngx_http_edgekit_module);

    if (ctx == NULL || ctx->status != EDGEKIT_OK
        || ngx_http_edgekit_claims == NULL)
    {
        return NGX_OK;
    }

    if (ctx->generation != ngx_http_edgekit_generation) {

        /* Another request verified in between (this one waited for its
         * body, say). The same token at the same time verifies the same
         * way, so verifying it again restores its payload. */

        status = edgekit_verifier_verify(ctx->verifier,
                                         ngx_http_edgekit_claims,
                                         (const char *) ctx->token.data,
                                         ctx->token.len, (int64_t) ctx->now);

        ctx->generation = ++ngx_http_edgekit_generation;

        if (status != EDGEKIT_OK) {
            ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                          "edgekit_jwt: token changed its verdict: %s",
                          edgekit_status_name(status));
            return NGX_OK;
        }
    }

    name = (const char *) var->data + sizeof(NGX_HTTP_EDGEKIT_CLAIM_PREFIX)
           - 1;
    name_len = var->len - (sizeof(NGX_HTTP_EDGEKIT_CLAIM_PREFIX) - 1);

    if (edgekit_claims_get_json(ngx_http_edgekit_claims, &json, &json_len,
                                name, name_len)
        != EDGEKIT_OK
        || json_len == 0)
    {
        return NGX_OK;
    }

    if (json[0] == '"') {

        /* Unescaping never makes a JSON string longer. */
        p = ngx_pnalloc(r->pool, json_len);
        if (p == NULL) {
            return NGX_ERROR;
        }

        if (edgekit_claims_get_string(ngx_http_edgekit_claims, (char *) p,
                                      json_len, &len, name, name_len)
            != EDGEKIT_OK)
        {
            return NGX_OK;
        }

        /* Claims end up in headers (add_header, proxy_set_header): a value
         * with a control character, "\r\n" above all, is not found rather
         * than a way to split a header, whoever signed it. */
        for (i = 0; i < len; i++) {
            if (p[i] < 0x20 || p[i] == 0x7f) {
                ngx_log_error(NGX_LOG_INFO, r->connection->log, 0,
                              "edgekit_jwt: claim \"%*s\" holds a control "
                              "character, not used", name_len, name);
                return NGX_OK;
            }
        }

    } else if (json[0] == '-' || json[0] == 't' || json[0] == 'f'
               || (json[0] >= '0' && json[0] <= '9'))
    {
        p = ngx_pnalloc(r->pool, json_len);
        if (p == NULL) {
            return NGX_ERROR;
        }

        ngx_memcpy(p, json, json_len);
        len = json_len;

    } else {
        return NGX_OK;
    }

    v->data = p;
    v->len = len;
    v->valid = 1;
    v->no_cacheable = 0;
    v->not_found = 0;

    return NGX_OK;
}


/*
 * A content handler: takes a hold on one unit (or "units=") of the SKU for
 * the buyer, both complex values (the buyer typically a JWT claim), and
 * answers 200 with the hold id, 409 sold out, 429 buyer limit.
 */
static ngx_int_t
ngx_http_edgekit_acquire_handler(ngx_http_request_t *r)
{
    u_char                       *p;
    uint64_t                      hold, now_ms;
    ngx_int_t                     rc;
    ngx_buf_t                    *b;
    ngx_str_t                     sku, buyer;
    ngx_uint_t                    code;
    ngx_time_t                   *tp;
    ngx_chain_t                   out;
    edgekit_status                status;
    ngx_http_edgekit_zone_t      *zone;
    ngx_http_edgekit_loc_conf_t  *elcf;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_POST))) {
        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    elcf = ngx_http_get_module_loc_conf(r, ngx_http_edgekit_module);
    zone = elcf->acquire_zone->data;

    if (ngx_http_complex_value(r, elcf->acquire_sku, &sku) != NGX_OK
        || ngx_http_complex_value(r, elcf->acquire_buyer, &buyer) != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* Wall-clock time: the hold expiries are shared by every worker. */
    tp = ngx_timeofday();
    now_ms = (uint64_t) tp->sec * 1000 + tp->msec;
    hold = 0;

    status = edgekit_inventory_acquire(zone->inventory, &hold,
                                       (const char *) sku.data, sku.len,
                                       (const char *) buyer.data, buyer.len,
                                       (uint32_t) elcf->acquire_units, now_ms,
                                       elcf->acquire_ttl);

    switch (status) {
    case EDGEKIT_OK:
        code = NGX_HTTP_OK;
        break;
    case EDGEKIT_E_SOLD_OUT:
        code = NGX_HTTP_CONFLICT;
        break;
    case EDGEKIT_E_BUYER_LIMIT:
        code = NGX_HTTP_TOO_MANY_REQUESTS;
        break;
    case EDGEKIT_E_UNKNOWN_SKU:
        code = NGX_HTTP_NOT_FOUND;
        break;
    case EDGEKIT_E_INVALID_ARGUMENT:
        code = NGX_HTTP_BAD_REQUEST;
        break;
    case EDGEKIT_E_NO_SPACE:
        code = NGX_HTTP_SERVICE_UNAVAILABLE;
        break;
    default:
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "edgekit_inventory_acquire: %s",
                      edgekit_status_name(status));
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    b = ngx_create_temp_buf(r->pool, sizeof("{\"status\":\"\",\"hold\":\"\"}\n")
                                     + 32 + NGX_INT64_LEN);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    p = ngx_slprintf(b->last, b->end, "{\"status\":\"%s\"",
                     edgekit_status_name(status));

    if (status == EDGEKIT_OK) {
        p = ngx_slprintf(p, b->end, ",\"hold\":\"%uL\"", hold);
    }

    p = ngx_slprintf(p, b->end, "}\n");

    b->last = p;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    r->headers_out.status = code;
    r->headers_out.content_length_n = b->last - b->pos;
    ngx_str_set(&r->headers_out.content_type, "application/json");
    r->headers_out.content_type_len = r->headers_out.content_type.len;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/*
 * Three cases: a reload keeps the old zone (same name and size) and so the
 * region, whose shape must not change; an existing zone (Windows) is
 * attached to; a new zone gets a formatted region and its initial stock.
 */
static ngx_int_t
ngx_http_edgekit_init_zone(ngx_shm_zone_t *shm_zone, void *data)
{
    ngx_http_edgekit_zone_t  *ozone = data;

    ngx_uint_t                 i;
    edgekit_status             status;
    ngx_slab_pool_t           *shpool;
    ngx_http_edgekit_zone_t   *zone;
    ngx_http_edgekit_stock_t  *stock;

    zone = shm_zone->data;
    shpool = (ngx_slab_pool_t *) shm_zone->shm.addr;

    if (ozone) {
        if (ozone->region_size != zone->region_size
            || ngx_memcmp(&ozone->config, &zone->config,
                          sizeof(edgekit_inventory_config))
               != 0)
        {
            ngx_log_error(NGX_LOG_EMERG, shm_zone->shm.log, 0,
                          "edgekit_inventory_zone \"%V\" cannot change its "
                          "capacities on reload; give it a new name",
                          &shm_zone->shm.name);
            return NGX_ERROR;
        }

        zone->region = ozone->region;

    } else if (shm_zone->shm.exists) {
        zone->region = shpool->data;

    } else {
        zone->region = ngx_slab_alloc(shpool, zone->region_size);

        if (zone->region == NULL) {
            ngx_log_error(NGX_LOG_EMERG, shm_zone->shm.log, 0,
                          "edgekit_inventory_zone \"%V\": %uz bytes cannot "
                          "hold a region of %uz bytes and nginx's slab "
                          "header; make it larger",
                          &shm_zone->shm.name, shm_zone->shm.size,
                          zone->region_size);
            return NGX_ERROR;
        }

        shpool->data = zone->region;

        status = edgekit_inventory_format(&zone->inventory, zone->region,
                                          zone->region_size, &zone->config);
        if (status != EDGEKIT_OK) {
            ngx_log_error(NGX_LOG_EMERG, shm_zone->shm.log, 0,
                          "edgekit_inventory_zone \"%V\": format: %s",
                          &shm_zone->shm.name, edgekit_status_name(status));
            return NGX_ERROR;
        }

        stock = zone->stock.elts;

        for (i = 0; i < zone->stock.nelts; i++) {
            status = edgekit_inventory_set_stock(zone->inventory,
                                                 (const char *)
                                                     stock[i].sku.data,
                                                 stock[i].sku.len,
                                                 stock[i].units);
            if (status != EDGEKIT_OK) {
                ngx_log_error(NGX_LOG_EMERG, shm_zone->shm.log, 0,
                              "edgekit_inventory_stock \"%V\" \"%V\": %s",
                              &shm_zone->shm.name, &stock[i].sku,
                              edgekit_status_name(status));
                return NGX_ERROR;
            }
        }

        return NGX_OK;
    }

    status = edgekit_inventory_attach(&zone->inventory, zone->region,
                                      zone->region_size);
    if (status != EDGEKIT_OK) {
        ngx_log_error(NGX_LOG_EMERG, shm_zone->shm.log, 0,
                      "edgekit_inventory_zone \"%V\": attach: %s",
                      &shm_zone->shm.name, edgekit_status_name(status));
        return NGX_ERROR;
    }

    return NGX_OK;
}


/* Every worker runs expire: it is idempotent and safe to run at once from
 * several processes, and any one surviving worker keeps holds returning. */
static void
ngx_http_edgekit_expire_handler(ngx_event_t *ev)
{
    uint64_t                       now_ms;
    ngx_uint_t                     i;
    ngx_time_t                    *tp;
    ngx_http_edgekit_zone_t      **zones;
    ngx_http_edgekit_main_conf_t  *emcf;

    emcf = ev->data;

    tp = ngx_timeofday();
    now_ms = (uint64_t) tp->sec * 1000 + tp->msec;

    zones = emcf->zones.elts;

    for (i = 0; i < emcf->zones.nelts; i++) {
        (void) edgekit_inventory_expire(zones[i]->inventory, NULL, now_ms);
    }

    if (!ngx_exiting) {
        ngx_add_timer(ev, NGX_HTTP_EDGEKIT_EXPIRE_MS);
    }
}


static void *
ngx_http_edgekit_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_edgekit_main_conf_t  *emcf;

    emcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_edgekit_main_conf_t));
    if (emcf == NULL) {
        return NULL;
    }

    if (ngx_array_init(&emcf->zones, cf->pool, 1,
                       sizeof(ngx_http_edgekit_zone_t *))
        != NGX_OK)
    {
        return NULL;
    }

    return emcf;
}


static void *
ngx_http_edgekit_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_edgekit_loc_conf_t  *conf;

    conf = ngx_pcalloc(cf->pool, sizeof(ngx_http_edgekit_loc_conf_t));
    if (conf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     conf->verifier = NULL;
     *     conf->acquire_zone = NULL;
     *     conf->acquire_sku = NULL;
     *     conf->acquire_buyer = NULL;
     *     conf->acquire_units = 0;
     *     conf->acquire_ttl = 0;
     */

    conf->enable = NGX_CONF_UNSET;
    conf->keys = NGX_CONF_UNSET_PTR;
    conf->issuers = NGX_CONF_UNSET_PTR;
    conf->audiences = NGX_CONF_UNSET_PTR;
    conf->algorithms = NGX_CONF_UNSET_PTR;
    conf->leeway = NGX_CONF_UNSET;
    conf->cache = NGX_CONF_UNSET_UINT;
    conf->token = NGX_CONF_UNSET_PTR;

    return conf;
}


static char *
ngx_http_edgekit_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_edgekit_loc_conf_t *prev = parent;
    ngx_http_edgekit_loc_conf_t *conf = child;

    ngx_uint_t               inherited;
    edgekit_status           status;
    ngx_pool_cleanup_t      *cln;
    edgekit_verify_options   opts;

    /* A location that changes no part of the policy shares its parent's
     * verifier (and with it the verified-token cache). */
    inherited = conf->keys == NGX_CONF_UNSET_PTR
                && conf->issuers == NGX_CONF_UNSET_PTR
                && conf->audiences == NGX_CONF_UNSET_PTR
                && conf->algorithms == NGX_CONF_UNSET_PTR
                && conf->leeway == NGX_CONF_UNSET
                && conf->cache == NGX_CONF_UNSET_UINT;

    ngx_conf_merge_value(conf->enable, prev->enable, 0);
    ngx_conf_merge_ptr_value(conf->keys, prev->keys, NULL);
    ngx_conf_merge_ptr_value(conf->issuers, prev->issuers, NULL);
    ngx_conf_merge_ptr_value(conf->audiences, prev->audiences, NULL);
    ngx_conf_merge_ptr_value(conf->algorithms, prev->algorithms, NULL);
    ngx_conf_merge_sec_value(conf->leeway, prev->leeway, 0);
    ngx_conf_merge_uint_value(conf->cache, prev->cache, 0);
    ngx_conf_merge_ptr_value(conf->token, prev->token, NULL);

    if (!conf->enable) {
        return NGX_CONF_OK;
    }

    if (conf->keys == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"edgekit_jwt\" is on but no \"edgekit_jwt_keys\" "
                           "is set for this location");
        return NGX_CONF_ERROR;
    }

    if (inherited && prev->verifier != NULL) {
        conf->verifier = prev->verifier;
        return NGX_CONF_OK;
    }

    if (conf->cache > NGX_MAX_UINT32_VALUE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"edgekit_jwt_cache\" is too large");
        return NGX_CONF_ERROR;
    }

    /* ngx_str_t is (len, data) and edgekit_str is (data, len): the lists
     * are converted, in the temporary pool since the verifier copies them. */

    ngx_memzero(&opts, sizeof(edgekit_verify_options));
    opts.struct_size = sizeof(edgekit_verify_options);
    opts.leeway_s = conf->leeway;
    opts.cache_entries = (uint32_t) conf->cache;

    opts.issuers = ngx_http_edgekit_strs(cf, conf->issuers,
                                         &opts.num_issuers);
    opts.audiences = ngx_http_edgekit_strs(cf, conf->audiences,
                                           &opts.num_audiences);
    opts.algorithms = ngx_http_edgekit_strs(cf, conf->algorithms,
                                            &opts.num_algorithms);

    if ((conf->issuers && opts.issuers == NULL)
        || (conf->audiences && opts.audiences == NULL)
        || (conf->algorithms && opts.algorithms == NULL))
    {
        return NGX_CONF_ERROR;
    }

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NGX_CONF_ERROR;
    }

    status = edgekit_verifier_new(&conf->verifier, conf->keys, &opts);

    if (status != EDGEKIT_OK) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "edgekit_jwt: cannot build the verifier: %s "
                           "(is every \"edgekit_jwt_algorithms\" name known?)",
                           edgekit_status_name(status));
        return NGX_CONF_ERROR;
    }

    cln->handler = ngx_http_edgekit_free_verifier;
    cln->data = conf->verifier;

    return NGX_CONF_OK;
}


static edgekit_str *
ngx_http_edgekit_strs(ngx_conf_t *cf, ngx_array_t *a, size_t *n)
{
    ngx_str_t    *s;
    ngx_uint_t    i;
    edgekit_str  *out;

    *n = 0;

    if (a == NULL || a->nelts == 0) {
        return NULL;
    }

    out = ngx_palloc(cf->temp_pool, a->nelts * sizeof(edgekit_str));
    if (out == NULL) {
        return NULL;
    }

    s = a->elts;

    for (i = 0; i < a->nelts; i++) {
        out[i].data = (const char *) s[i].data;
        out[i].len = s[i].len;
    }

    *n = a->nelts;

    return out;
}


/*
 * edgekit_jwt_keys FILE [kid=ID]: a JWK Set (or one JWK) if the file starts
 * with "{", otherwise one PEM key, whose kid may be given. Loaded here, so a
 * bad file fails "nginx -t".
 */
static char *
ngx_http_edgekit_keys(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_edgekit_loc_conf_t *elcf = conf;

    u_char              *buf, *p, *last;
    off_t                size;
    ssize_t              n;
    ngx_fd_t             fd;
    ngx_str_t           *value, name, kid;
    ngx_file_t           file;
    edgekit_status       status;
    ngx_file_info_t      fi;
    ngx_pool_cleanup_t  *cln;

    if (elcf->keys != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;
    name = value[1];
    ngx_str_null(&kid);

    if (cf->args->nelts == 3) {
        if (value[2].len <= 4
            || ngx_strncmp(value[2].data, "kid=", 4) != 0)
        {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "invalid parameter \"%V\"", &value[2]);
            return NGX_CONF_ERROR;
        }

        kid.data = value[2].data + 4;
        kid.len = value[2].len - 4;
    }

    if (ngx_conf_full_name(cf->cycle, &name, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    fd = ngx_open_file(name.data, NGX_FILE_RDONLY, NGX_FILE_OPEN, 0);
    if (fd == NGX_INVALID_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_open_file_n " \"%V\" failed", &name);
        return NGX_CONF_ERROR;
    }

    buf = NULL;
    n = NGX_ERROR;

    if (ngx_fd_info(fd, &fi) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, ngx_errno,
                           ngx_fd_info_n " \"%V\" failed", &name);
        goto close;
    }

    size = ngx_file_size(&fi);

    if (size <= 0 || size > NGX_HTTP_EDGEKIT_MAX_KEY_FILE) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "edgekit_jwt_keys \"%V\": size %O is not "
                           "between 1 byte and 1 MB", &name, size);
        goto close;
    }

    buf = ngx_pnalloc(cf->temp_pool, size);
    if (buf == NULL) {
        goto close;
    }

    ngx_memzero(&file, sizeof(ngx_file_t));
    file.fd = fd;
    file.name = name;
    file.log = cf->log;

    n = ngx_read_file(&file, buf, size, 0);

    if (n != NGX_ERROR && n != size) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "edgekit_jwt_keys \"%V\": read %z of %O bytes",
                           &name, n, size);
        n = NGX_ERROR;
    }

close:

    if (ngx_close_file(fd) == NGX_FILE_ERROR) {
        ngx_conf_log_error(NGX_LOG_ALERT, cf, ngx_errno,
                           ngx_close_file_n " \"%V\" failed", &name);
    }

    if (n == NGX_ERROR) {
        return NGX_CONF_ERROR;
    }

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NGX_CONF_ERROR;
    }

    p = buf;
    last = buf + size;

    while (p < last && (*p == ' ' || *p == '\t' || *p == CR || *p == LF)) {
        p++;
    }

    if (p < last && *p == '{') {
        if (kid.len) {
            ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                               "edgekit_jwt_keys \"%V\": \"kid=\" is for PEM "
                               "keys; a JWKS names its keys itself", &name);
            return NGX_CONF_ERROR;
        }

        status = edgekit_keyset_from_jwks(&elcf->keys, (const char *) buf,
                                          size);

    } else {
        status = edgekit_keyset_from_pem(&elcf->keys, (const char *) buf,
                                         size, (const char *) kid.data,
                                         kid.len);
    }

    if (status != EDGEKIT_OK) {
        elcf->keys = NGX_CONF_UNSET_PTR;
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "edgekit_jwt_keys \"%V\": not a usable %s: %s",
                           &name, (p < last && *p == '{') ? "JWKS" : "PEM key",
                           edgekit_status_name(status));
        return NGX_CONF_ERROR;
    }

    cln->handler = ngx_http_edgekit_free_keyset;
    cln->data = elcf->keys;

    return NGX_CONF_OK;
}


/* One directive with many names reads better than one directive per
 * algorithm, so this is ngx_conf_set_str_array_slot for 1MORE. */
static char *
ngx_http_edgekit_algorithms(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    char  *p = conf;

    ngx_str_t     *value, *s;
    ngx_uint_t     i;
    ngx_array_t  **a;

    a = (ngx_array_t **) (p + cmd->offset);

    if (*a != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    *a = ngx_array_create(cf->pool, cf->args->nelts - 1, sizeof(ngx_str_t));
    if (*a == NULL) {
        return NGX_CONF_ERROR;
    }

    value = cf->args->elts;

    for (i = 1; i < cf->args->nelts; i++) {
        s = ngx_array_push(*a);
        if (s == NULL) {
            return NGX_CONF_ERROR;
        }

        *s = value[i];
    }

    return NGX_CONF_OK;
}


/*
 * edgekit_inventory_zone NAME SIZE [skus=N] [buyers=N] [holds=N] [limit=N]:
 * a shared-memory zone holding one inventory region with these capacities
 * (edgekit's defaults for those not given) and a per-buyer default limit.
 */
static char *
ngx_http_edgekit_zone(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_edgekit_main_conf_t *emcf = conf;

    u_char                    *eq;
    ssize_t                    size;
    ngx_int_t                  n;
    ngx_str_t                 *value, key, val;
    ngx_uint_t                 i;
    ngx_shm_zone_t            *shm_zone;
    ngx_pool_cleanup_t        *cln;
    ngx_http_edgekit_zone_t   *zone, **zp;

    value = cf->args->elts;

    zone = ngx_pcalloc(cf->pool, sizeof(ngx_http_edgekit_zone_t));
    if (zone == NULL) {
        return NGX_CONF_ERROR;
    }

    if (ngx_array_init(&zone->stock, cf->pool, 4,
                       sizeof(ngx_http_edgekit_stock_t))
        != NGX_OK)
    {
        return NGX_CONF_ERROR;
    }

    zone->config.struct_size = sizeof(edgekit_inventory_config);

    size = ngx_parse_size(&value[2]);
    if (size == NGX_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid zone size \"%V\"", &value[2]);
        return NGX_CONF_ERROR;
    }

    for (i = 3; i < cf->args->nelts; i++) {
        eq = ngx_strlchr(value[i].data, value[i].data + value[i].len, '=');

        if (eq == NULL) {
            goto invalid;
        }

        key.data = value[i].data;
        key.len = eq - value[i].data;
        val.data = eq + 1;
        val.len = value[i].data + value[i].len - val.data;

        n = ngx_atoi(val.data, val.len);
        if (n <= 0 || (uint64_t) n > NGX_MAX_UINT32_VALUE) {
            goto invalid;
        }

        if (key.len == 4 && ngx_strncmp(key.data, "skus", 4) == 0) {
            zone->config.max_skus = (uint32_t) n;

        } else if (key.len == 6 && ngx_strncmp(key.data, "buyers", 6) == 0) {
            zone->config.max_buyers = (uint32_t) n;

        } else if (key.len == 5 && ngx_strncmp(key.data, "holds", 5) == 0) {
            zone->config.max_holds = (uint32_t) n;

        } else if (key.len == 5 && ngx_strncmp(key.data, "limit", 5) == 0) {
            zone->config.default_buyer_limit = (uint32_t) n;

        } else {
            goto invalid;
        }
    }

    zone->region_size = edgekit_inventory_region_size(&zone->config);

    if (zone->region_size == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "edgekit_inventory_zone \"%V\": capacities out "
                           "of range", &value[1]);
        return NGX_CONF_ERROR;
    }

    if ((size_t) size < zone->region_size + 8 * ngx_pagesize) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "edgekit_inventory_zone \"%V\": the region needs "
                           "%uz bytes, so the zone at least %uz",
                           &value[1], zone->region_size,
                           zone->region_size + 8 * ngx_pagesize);
        return NGX_CONF_ERROR;
    }

    shm_zone = ngx_shared_memory_add(cf, &value[1], size,
                                     &ngx_http_edgekit_module);
    if (shm_zone == NULL) {
        return NGX_CONF_ERROR;
    }

    if (shm_zone->data) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "duplicate zone \"%V\"", &value[1]);
        return NGX_CONF_ERROR;
    }

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NGX_CONF_ERROR;
    }

    cln->handler = ngx_http_edgekit_free_inventory;
    cln->data = zone;

    zone->shm_zone = shm_zone;
    shm_zone->init = ngx_http_edgekit_init_zone;
    shm_zone->data = zone;

    zp = ngx_array_push(&emcf->zones);
    if (zp == NULL) {
        return NGX_CONF_ERROR;
    }

    *zp = zone;

    return NGX_CONF_OK;

invalid:

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid parameter \"%V\"", &value[i]);
    return NGX_CONF_ERROR;
}


/* edgekit_inventory_stock ZONE SKU UNITS: stock put into a zone when it is
 * formatted, that is when nginx starts, never on reload. */
static char *
ngx_http_edgekit_stock(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_int_t                  n;
    ngx_str_t                 *value;
    ngx_shm_zone_t            *shm_zone;
    ngx_http_edgekit_zone_t   *zone;
    ngx_http_edgekit_stock_t  *stock;

    value = cf->args->elts;

    shm_zone = ngx_http_edgekit_find_zone(cf, &value[1]);
    if (shm_zone == NULL) {
        return NGX_CONF_ERROR;
    }

    n = ngx_atoi(value[3].data, value[3].len);
    if (n == NGX_ERROR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "invalid stock \"%V\"", &value[3]);
        return NGX_CONF_ERROR;
    }

    zone = shm_zone->data;

    stock = ngx_array_push(&zone->stock);
    if (stock == NULL) {
        return NGX_CONF_ERROR;
    }

    stock->sku = value[2];
    stock->units = n;

    return NGX_CONF_OK;
}


/*
 * edgekit_inventory_acquire ZONE sku=VALUE buyer=VALUE [units=N] [ttl=TIME]
 */
static char *
ngx_http_edgekit_acquire(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_edgekit_loc_conf_t *elcf = conf;

    ngx_int_t                          n;
    ngx_str_t                         *value, val;
    ngx_uint_t                         i;
    ngx_http_core_loc_conf_t          *clcf;
    ngx_http_complex_value_t         **cv;
    ngx_http_compile_complex_value_t   ccv;

    if (elcf->acquire_zone) {
        return "is duplicate";
    }

    value = cf->args->elts;

    elcf->acquire_zone = ngx_http_edgekit_find_zone(cf, &value[1]);
    if (elcf->acquire_zone == NULL) {
        return NGX_CONF_ERROR;
    }

    elcf->acquire_units = 1;
    elcf->acquire_ttl = 30000;

    for (i = 2; i < cf->args->nelts; i++) {

        if (ngx_strncmp(value[i].data, "sku=", 4) == 0) {
            cv = &elcf->acquire_sku;
            val.data = value[i].data + 4;
            val.len = value[i].len - 4;

        } else if (ngx_strncmp(value[i].data, "buyer=", 6) == 0) {
            cv = &elcf->acquire_buyer;
            val.data = value[i].data + 6;
            val.len = value[i].len - 6;

        } else if (ngx_strncmp(value[i].data, "units=", 6) == 0) {
            n = ngx_atoi(value[i].data + 6, value[i].len - 6);
            if (n <= 0 || n > 65535) {
                goto invalid;
            }

            elcf->acquire_units = n;
            continue;

        } else if (ngx_strncmp(value[i].data, "ttl=", 4) == 0) {
            val.data = value[i].data + 4;
            val.len = value[i].len - 4;

            n = ngx_parse_time(&val, 0);

            /* edgekit_inventory_acquire refuses a TTL over a year: say so
             * at configuration time, not with a 400 on every request */
            if (n == NGX_ERROR || n == 0 || (uint64_t) n > 31536000000ULL) {
                goto invalid;
            }

            elcf->acquire_ttl = n;
            continue;

        } else {
            goto invalid;
        }

        *cv = ngx_palloc(cf->pool, sizeof(ngx_http_complex_value_t));
        if (*cv == NULL) {
            return NGX_CONF_ERROR;
        }

        ngx_memzero(&ccv, sizeof(ngx_http_compile_complex_value_t));
        ccv.cf = cf;
        ccv.value = &val;
        ccv.complex_value = *cv;

        if (ngx_http_compile_complex_value(&ccv) != NGX_OK) {
            return NGX_CONF_ERROR;
        }
    }

    if (elcf->acquire_sku == NULL || elcf->acquire_buyer == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "\"edgekit_inventory_acquire\" needs both "
                           "\"sku=\" and \"buyer=\"");
        return NGX_CONF_ERROR;
    }

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_edgekit_acquire_handler;

    return NGX_CONF_OK;

invalid:

    ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                       "invalid parameter \"%V\"", &value[i]);
    return NGX_CONF_ERROR;
}


/* A zone must be declared before it is used, so its capacities are known
 * when the directive that uses it is read. */
static ngx_shm_zone_t *
ngx_http_edgekit_find_zone(ngx_conf_t *cf, ngx_str_t *name)
{
    ngx_shm_zone_t  *shm_zone;

    shm_zone = ngx_shared_memory_add(cf, name, 0, &ngx_http_edgekit_module);
    if (shm_zone == NULL) {
        return NULL;
    }

    if (shm_zone->data == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "unknown edgekit_inventory_zone \"%V\" (declare it "
                           "first)", name);
        return NULL;
    }

    return shm_zone;
}


static void
ngx_http_edgekit_free_keyset(void *data)
{
    edgekit_keyset_free(data);
}


static void
ngx_http_edgekit_free_verifier(void *data)
{
    edgekit_verifier_free(data);
}


static void
ngx_http_edgekit_free_inventory(void *data)
{
    ngx_http_edgekit_zone_t  *zone = data;

    edgekit_inventory_free(zone->inventory);
    zone->inventory = NULL;
}


static ngx_int_t
ngx_http_edgekit_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = ngx_http_edgekit_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = v->get_handler;
        var->data = v->data;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_edgekit_init(ngx_conf_t *cf)
{
    const char                 *backend;
    ngx_http_handler_pt        *h;
    ngx_http_core_main_conf_t  *cmcf;

    if (edgekit_version_number() / 10000 != EDGEKIT_VERSION_MAJOR) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "edgekit %s is linked, but the module was built "
                           "for major version %d",
                           edgekit_version(), EDGEKIT_VERSION_MAJOR);
        return NGX_ERROR;
    }

    /* nginx links OpenSSL 3: a second libcrypto in the process would bind
     * some of its calls to OpenSSL's symbols. */
    backend = edgekit_crypto_backend();

    if (ngx_strcmp(backend, "openssl") != 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "edgekit is built with the \"%s\" crypto backend; "
                           "inside nginx it must be \"openssl\"", backend);
        return NGX_ERROR;
    }

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_ACCESS_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_edgekit_access_handler;

    return NGX_OK;
}


static ngx_int_t
ngx_http_edgekit_init_process(ngx_cycle_t *cycle)
{
    ngx_event_t                   *ev;
    ngx_http_edgekit_main_conf_t  *emcf;

    ngx_http_edgekit_claims = edgekit_claims_new();

    if (ngx_http_edgekit_claims == NULL) {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "edgekit_jwt: no memory for the claims object");
        return NGX_ERROR;
    }

    emcf = ngx_http_cycle_get_module_main_conf(cycle, ngx_http_edgekit_module);

    if (emcf == NULL || emcf->zones.nelts == 0) {
        return NGX_OK;
    }

    ev = &ngx_http_edgekit_expire_event;
    ev->handler = ngx_http_edgekit_expire_handler;
    ev->data = emcf;
    ev->log = cycle->log;
    /* A pending expire run must not keep a worker from exiting. */
    ev->cancelable = 1;

    ngx_add_timer(ev, NGX_HTTP_EDGEKIT_EXPIRE_MS);

    return NGX_OK;
}


static void
ngx_http_edgekit_exit_process(ngx_cycle_t *cycle)
{
    edgekit_claims_free(ngx_http_edgekit_claims);
    ngx_http_edgekit_claims = NULL;
}
