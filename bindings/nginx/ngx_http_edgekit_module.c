
/*
 * Copyright 2026 The edgekit Authors. SPDX-License-Identifier: Apache-2.0
 *
 * ngx_http_edgekit_module: JWT access control in nginx's access phase,
 * written against edgekit's public C ABI only (include/edgekit.h).
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
static void *ngx_http_edgekit_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_edgekit_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static edgekit_str *ngx_http_edgekit_strs(ngx_conf_t *cf, ngx_array_t *a,
    size_t *n);
static char *ngx_http_edgekit_keys(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_edgekit_algorithms(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static void ngx_http_edgekit_free_keyset(void *data);
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

      ngx_null_command
};


static ngx_http_module_t  ngx_http_edgekit_module_ctx = {
    ngx_http_edgekit_add_variables,        /* preconfiguration */
    ngx_http_edgekit_init,                 /* postconfiguration */

    NULL,                                  /* create main configuration */
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
    size_t                   json_len, len;
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
    ngx_http_edgekit_claims = edgekit_claims_new();

    if (ngx_http_edgekit_claims == NULL) {
        ngx_log_error(NGX_LOG_EMERG, cycle->log, 0,
                      "edgekit_jwt: no memory for the claims object");
        return NGX_ERROR;
    }

    return NGX_OK;
}


static void
ngx_http_edgekit_exit_process(ngx_cycle_t *cycle)
{
    edgekit_claims_free(ngx_http_edgekit_claims);
    ngx_http_edgekit_claims = NULL;
}
