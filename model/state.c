/* SPDX-License-Identifier: MIT */
/*
 * state.c — configurations, the boot state, copying, and lookups.
 */
#include "state.h"

#include <string.h>

struct model_config model_config_default(void)
{
    struct model_config c = {
        .partitions = HV_MAX_PARTITIONS,
        .vps = HV_MAX_VPS_PER_PARTITION,
        .sints = HV_SYNIC_SINT_COUNT,
        .queue_depth = HV_MESSAGE_QUEUE_DEPTH,
        .ports = HV_MAX_PORTS,
        .connections = HV_MAX_CONNECTIONS,
        /* Pages 0-7 the hypervisor's (the probe range), 8-511 the root's:
         * the machine the scenarios are written for. */
        .ram_ranges = 1,
        .ram = {{8, 504}},
        .probe_page = 0,
        .probe_pages = 8,
        .child_gpa_pages = HV_MAX_CHILD_GPA_PAGES,
    };
    return c;
}

struct model_config model_config_small(void)
{
    struct model_config c = {
        .partitions = 3, /* root + 2 children */
        .vps = 1,
        .sints = 2,
        .queue_depth = 2,
        .ports = 2,
        .connections = 2,
        .ram_ranges = 1, /* page 0 the hypervisor's, 1-7 the root's */
        .ram = {{1, 7}},
        .probe_page = 0,
        .probe_pages = 1,
        .child_gpa_pages = 2,
    };
    return c;
}

const char *model_config_check(const struct model_config *c)
{
    if (c->partitions < 1 || c->partitions > MODEL_MAX_PARTITIONS)
        return "partitions must be 1..8";
    if (c->vps < 1 || c->vps > MODEL_MAX_VPS)
        return "vps must be 1..2";
    /* The root's top two SINTs are the hypervisor's news and intercepts. */
    if (c->sints < 2 || c->sints > MODEL_MAX_SINTS)
        return "sints must be 2..16";
    if (c->queue_depth > HV_MESSAGE_QUEUE_DEPTH)
        return "queue_depth must be 0..4";
    if (c->ports > MODEL_MAX_PORTS)
        return "ports must be 0..16";
    if (c->connections > MODEL_MAX_CONNECTIONS)
        return "connections must be 0..16";
    if (c->ram_ranges > MODEL_MAX_RAM_RANGES)
        return "ram_ranges must be 0..16";
    for (uint32_t i = 0; i < c->ram_ranges; i++)
        if (c->ram[i].pages == 0 || c->ram[i].first + c->ram[i].pages < c->ram[i].first ||
            (i > 0 && c->ram[i].first < c->ram[i - 1].first + c->ram[i - 1].pages))
            return "ram ranges must be non-empty, ascending and disjoint";
    for (uint64_t p = c->probe_page; p < c->probe_page + c->probe_pages; p++)
        if (model_page_is_ram(c, p))
            return "the probe range must not be root RAM";
    if (c->child_gpa_pages < 1 || c->child_gpa_pages > HV_MAX_CHILD_GPA_PAGES)
        return "child_gpa_pages must be 1..131072";
    return 0;
}

void model_init(const struct model_config *cfg, struct model_state *s)
{
    memset(s, 0, sizeof *s);
    s->hv_state = MODEL_HV_RUNNING;
    s->trace_mask = HV_TRACE_DEFAULT_MASK;
    s->next_partition_id = HV_PARTITION_ID_ROOT + 1;

    struct model_partition *root = &s->part[MODEL_ROOT_SLOT];
    root->state = MODEL_PART_INITIALIZED;
    root->id = HV_PARTITION_ID_ROOT;
    root->privileges = HV_PRIVILEGE_ROOT;
    /* The root's boot VP runs from the start; its other VPs are not
     * modelled (the root cannot create VPs for itself). */
    root->vp[0].state = HV_VP_STATE_RUNNING;

    (void)cfg; /* every frame is a plain root page: none is listed */
}

void model_state_copy(const struct model_config *cfg, struct model_state *dst,
                      const struct model_state *src)
{
    /* Everything outside cfg's bounds is zero in every state of a run,
     * so copying the used prefix of each table is a full copy. */
    size_t head = offsetof(struct model_state, part);
    memcpy(dst, src, head);
    memcpy(dst->part, src->part, cfg->partitions * sizeof src->part[0]);
    memcpy(dst->frame, src->frame, src->frames_listed * sizeof src->frame[0]);
    memcpy(dst->port, src->port, cfg->ports * sizeof src->port[0]);
    memcpy(dst->conn, src->conn, cfg->connections * sizeof src->conn[0]);
    for (uint32_t p = 0; p < cfg->partitions; p++)
        for (uint32_t v = 0; v < cfg->vps; v++)
            memcpy(dst->sint[p][v], src->sint[p][v],
                   cfg->sints * sizeof src->sint[p][v][0]);
}

uint32_t model_slot_of(const struct model_config *cfg,
                       const struct model_state *s, uint64_t id)
{
    if (id == HV_PARTITION_ID_INVALID)
        return MODEL_NO_SLOT;
    for (uint32_t i = 0; i < cfg->partitions; i++)
        if (model_partition_live(&s->part[i]) && s->part[i].id == id)
            return i;
    return MODEL_NO_SLOT;
}

struct model_partition *model_partition_by_id(const struct model_config *cfg,
                                              struct model_state *s,
                                              uint64_t id)
{
    uint32_t slot = model_slot_of(cfg, s, id);
    return slot == MODEL_NO_SLOT ? NULL : &s->part[slot];
}

struct model_partition *model_child_by_id(const struct model_config *cfg,
                                          struct model_state *s, uint64_t id,
                                          uint32_t *slot)
{
    uint32_t i = model_slot_of(cfg, s, id);
    if (i == MODEL_NO_SLOT || i == MODEL_ROOT_SLOT)
        return NULL;
    if (slot)
        *slot = i;
    return &s->part[i];
}

int model_page_is_ram(const struct model_config *cfg, uint64_t page)
{
    for (uint32_t i = 0; i < cfg->ram_ranges; i++)
        if (page >= cfg->ram[i].first && page - cfg->ram[i].first < cfg->ram[i].pages)
            return 1;
    return 0;
}

uint64_t model_ram_end(const struct model_config *cfg)
{
    return cfg->ram_ranges
               ? cfg->ram[cfg->ram_ranges - 1].first + cfg->ram[cfg->ram_ranges - 1].pages
               : 0;
}

/* Index of the first listed frame at or after `page`. */
static uint32_t lower_bound(const struct model_state *s, uint64_t page)
{
    uint32_t lo = 0, hi = s->frames_listed;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->frame[mid].page < page)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const struct model_frame *model_frame_find(const struct model_state *s, uint64_t page)
{
    uint32_t i = lower_bound(s, page);
    return i < s->frames_listed && s->frame[i].page == page ? &s->frame[i] : NULL;
}

int model_frame_plain_root(const struct model_frame *f)
{
    return f->kind == MODEL_FRAME_OWNED && f->owner == HV_PARTITION_ID_ROOT &&
           f->peer == 0 && f->gpa == 0 && f->rights == 0;
}

uint64_t model_frame_hash(const struct model_frame *f)
{
    /* FNV-1a 64 over the frame's bytes in the canonical encoding. */
    uint8_t b[34];
    const uint64_t v[4] = {f->page, f->owner, f->peer, f->gpa};
    for (int i = 0; i < 8; i++) {
        b[i] = (uint8_t)(v[0] >> (8 * i));
        b[9 + i] = (uint8_t)(v[1] >> (8 * i));
        b[17 + i] = (uint8_t)(v[2] >> (8 * i));
        b[25 + i] = (uint8_t)(v[3] >> (8 * i));
    }
    b[8] = f->kind;
    b[33] = f->rights;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < sizeof b; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

void model_frame_set(struct model_state *s, const struct model_frame *f)
{
    uint32_t i = lower_bound(s, f->page);
    int listed = i < s->frames_listed && s->frame[i].page == f->page;
    if (listed) {
        s->frames_sum -= model_frame_hash(&s->frame[i]);
        if (model_frame_plain_root(f)) {
            memmove(&s->frame[i], &s->frame[i + 1],
                    (s->frames_listed - i - 1) * sizeof s->frame[0]);
            s->frames_listed--;
            memset(&s->frame[s->frames_listed], 0, sizeof s->frame[0]);
            return;
        }
    } else {
        if (model_frame_plain_root(f))
            return;
        if (s->frames_listed == MODEL_MAX_LISTED)
            return; /* no room (over 512 MiB lent): the frame stays the root's, and a
                       checker comparing with the hypervisor reports the divergence */
        memmove(&s->frame[i + 1], &s->frame[i],
                (s->frames_listed - i) * sizeof s->frame[0]);
        s->frames_listed++;
    }
    s->frame[i] = *f;
    s->frames_sum += model_frame_hash(f);
}

void model_frame_give_to_root(struct model_state *s, uint64_t page)
{
    struct model_frame f = {
        .page = page, .kind = MODEL_FRAME_OWNED, .owner = HV_PARTITION_ID_ROOT};
    model_frame_set(s, &f);
}

static int frame_reached_by(const struct model_frame *f, uint64_t id)
{
    return (f->kind == MODEL_FRAME_OWNED && f->owner == id) ||
           (f->kind == MODEL_FRAME_SHARED && f->peer == id);
}

int64_t model_frame_at_gpa(const struct model_config *cfg, const struct model_state *s,
                           uint64_t id, uint64_t gpa_page)
{
    if (id == HV_PARTITION_ID_ROOT) {
        if (!model_page_is_ram(cfg, gpa_page))
            return -1;
        const struct model_frame *f = model_frame_find(s, gpa_page);
        /* Unlisted: a plain root page.  Listed: the root's only if shared. */
        return !f || f->kind == MODEL_FRAME_SHARED ? (int64_t)gpa_page : -1;
    }
    for (uint32_t i = 0; i < s->frames_listed; i++) {
        const struct model_frame *f = &s->frame[i];
        if (f->gpa != gpa_page)
            continue;
        if ((f->kind == MODEL_FRAME_OWNED && f->owner == id) ||
            (f->kind == MODEL_FRAME_SHARED && f->peer == id))
            return (int64_t)f->page;
    }
    return -1;
}

int model_frame_writable(const struct model_state *s, uint64_t id, uint64_t page)
{
    const struct model_frame *f = model_frame_find(s, page);
    return id == HV_PARTITION_ID_ROOT || (f && (f->rights & HV_MAP_GPA_WRITABLE) != 0);
}

uint32_t model_deposited_count(const struct model_config *cfg,
                               const struct model_state *s, uint64_t id)
{
    (void)cfg;
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->frames_listed; i++)
        if (s->frame[i].kind == MODEL_FRAME_DEPOSITED && s->frame[i].peer == id)
            n++;
    return n;
}

int model_port_find(const struct model_config *cfg,
                    const struct model_state *s, uint64_t partition,
                    uint32_t port_id)
{
    for (uint32_t i = 0; i < cfg->ports; i++)
        if (s->port[i].used && s->port[i].partition == partition &&
            s->port[i].port_id == port_id)
            return (int)i;
    return -1;
}

int model_conn_find(const struct model_config *cfg,
                    const struct model_state *s, uint64_t partition,
                    uint32_t conn_id)
{
    for (uint32_t i = 0; i < cfg->connections; i++)
        if (s->conn[i].used && s->conn[i].partition == partition &&
            s->conn[i].conn_id == conn_id)
            return (int)i;
    return -1;
}

static const struct {
    uint32_t name;
    const char *label;
} regs[MODEL_VP_REGS] = {
    {HV_X64_REGISTER_RAX, "rax"},       {HV_X64_REGISTER_RSP, "rsp"},
    {HV_X64_REGISTER_RIP, "rip"},       {HV_X64_REGISTER_RFLAGS, "rflags"},
    {HV_X64_REGISTER_CR0, "cr0"},       {HV_X64_REGISTER_CR3, "cr3"},
    {HV_X64_REGISTER_CR4, "cr4"},       {HV_X64_REGISTER_EFER, "efer"},
};

int model_reg_index(uint32_t name)
{
    for (int i = 0; i < MODEL_VP_REGS; i++)
        if (regs[i].name == name)
            return i;
    return -1;
}

uint32_t model_reg_name(int index) { return regs[index].name; }
const char *model_reg_label(int index) { return regs[index].label; }

const char *model_partition_state_name(uint8_t st)
{
    switch (st) {
    case MODEL_PART_FREE: return "FREE";
    case MODEL_PART_CREATED: return "CREATED";
    case MODEL_PART_INITIALIZED: return "INITIALIZED";
    case MODEL_PART_FINALIZED: return "FINALIZED";
    default: return "?";
    }
}

const char *model_vp_state_name(uint8_t st)
{
    switch (st) {
    case HV_VP_STATE_NONE: return "NONE";
    case HV_VP_STATE_CREATED: return "CREATED";
    case HV_VP_STATE_RUNNING: return "RUNNING";
    case HV_VP_STATE_STOPPED: return "STOPPED";
    case HV_VP_STATE_WAITING_IO: return "WAITING_IO";
    default: return "?";
    }
}

const char *model_frame_kind_name(uint8_t kind)
{
    switch (kind) {
    case MODEL_FRAME_OWNED: return "owned";
    case MODEL_FRAME_SHARED: return "shared";
    case MODEL_FRAME_DEPOSITED: return "deposited";
    default: return "?";
    }
}

uint64_t model_default_in_gpa(const struct model_config *cfg,
                              const struct model_state *s, uint64_t actor)
{
    if (actor != HV_PARTITION_ID_ROOT) {
        /* The same answer as the loop below, in one pass over the frames
         * instead of one per GPA: a GPA's frame is the first listed one
         * the child owns or shares there (model_frame_at_gpa), writable
         * by its own rights (model_frame_writable). */
        uint64_t best = UINT64_MAX;
        for (uint32_t i = 0; i < s->frames_listed; i++) {
            const struct model_frame *f = &s->frame[i];
            if (!frame_reached_by(f, actor) || f->gpa >= cfg->child_gpa_pages || f->gpa >= best)
                continue;
            int first = 1;
            for (uint32_t j = 0; j < i && first; j++)
                first = !(frame_reached_by(&s->frame[j], actor) && s->frame[j].gpa == f->gpa);
            if (first && (f->rights & HV_MAP_GPA_WRITABLE))
                best = f->gpa;
        }
        return best == UINT64_MAX ? 0 : best << HV_PAGE_SHIFT;
    }
    uint64_t limit =
        actor == HV_PARTITION_ID_ROOT ? model_ram_end(cfg) : cfg->child_gpa_pages;
    for (uint64_t g = 0; g < limit; g++) {
        int64_t f = model_frame_at_gpa(cfg, s, actor, g);
        if (f >= 0 && model_frame_writable(s, actor, (uint64_t)f))
            return g << HV_PAGE_SHIFT;
    }
    return 0;
}
