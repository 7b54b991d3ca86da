/*
 * regex_tree: the arrays of a syntax tree under construction (regex_int.h):
 * nodes, class sets, literal text and the group names a pattern defines
 * and refers to, each grown by doubling; and the joining of literal
 * characters in a row into one TEXT node. Every failure to grow is
 * -ENOMEM, recorded in the parser at the place it happened, and leaves the
 * arrays as they were, so that fw_regex_free() releases them all. And the
 * reading of finished trees that more than one consumer needs: a pattern's
 * items, whether two trees say the same thing node for node, and the
 * fewest bytes a match takes.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "match/regex_int.h"

/*
 * arr (*cap items of size each, n used) with room for one more: arr itself,
 * a larger copy, or NULL (-ENOMEM set; arr is left as it was).
 */
static void *
grow(struct rx_parser *ps, void *arr, uint32_t n, uint32_t *cap, size_t size)
{
	uint32_t c;
	void *na;

	if (n < *cap)
		return arr;
	c = *cap ? 2 * *cap : 32;
	na = realloc(arr, (size_t)c * size);
	if (!na) {
		fw__rx_fail(ps, -ENOMEM, "out of memory");
		return NULL;
	}
	*cap = c;
	return na;
}

uint32_t
fw__rx_class(struct rx_parser *ps, const struct fw_rx_bytes *set)
{
	struct fw_regex *rx = ps->rx;
	struct fw_rx_bytes *ns = grow(ps, rx->sets, rx->n_sets, &rx->cap_sets, sizeof *rx->sets);
	uint32_t n;

	if (!ns)
		return FW_RX_NONE;
	rx->sets = ns;
	n = fw__rx_node(ps, FW_RX_CLASS);
	if (n != FW_RX_NONE) {
		rx->sets[rx->n_sets] = *set;
		rx->nodes[n].at = rx->n_sets++;
	}
	return n;
}

uint32_t
fw__rx_node(struct rx_parser *ps, uint8_t kind)
{
	struct fw_regex *rx = ps->rx;
	struct fw_rx_node *nn = grow(ps, rx->nodes, rx->n_nodes, &rx->cap_nodes, sizeof *rx->nodes);

	if (!nn)
		return FW_RX_NONE;
	rx->nodes = nn;
	rx->nodes[rx->n_nodes] = (struct fw_rx_node){
		.kind = kind, .cp = FW_RX_NONE, .child = FW_RX_NONE, .next = FW_RX_NONE,
	};
	return rx->n_nodes++;
}

int
fw__rx_add_name(struct rx_parser *ps, struct rx_name **arr, uint32_t *n, uint32_t *cap,
		const unsigned char *name, const unsigned char *name_end)
{
	if (*n == *cap) {
		uint32_t c = *cap ? 2 * *cap : 8;
		struct rx_name *na = realloc(*arr, c * sizeof *na);

		if (!na) {
			fw__rx_fail(ps, -ENOMEM, "out of memory");
			return -ENOMEM;
		}
		*arr = na;
		*cap = c;
	}
	(*arr)[(*n)++] = (struct rx_name){
		.off = (uint32_t)(name - ps->start), .len = (uint32_t)(name_end - name),
	};
	return 0;
}

/* Appends cp to text[]; false (-ENOMEM set) when it cannot. */
static bool
text_push(struct rx_parser *ps, uint32_t cp)
{
	struct fw_regex *rx = ps->rx;
	uint32_t *nt = grow(ps, rx->text, rx->n_text, &rx->cap_text, sizeof *rx->text);

	if (!nt)
		return false;
	rx->text = nt;
	rx->text[rx->n_text++] = cp;
	return true;
}

/*
 * Node c (the newest), a literal character that follows node t, joins t
 * when t is a CHAR or TEXT with the same flags: they become one TEXT.
 * False when c stays a node of its own.
 */
static bool
join_text(struct rx_parser *ps, uint32_t t, uint32_t c)
{
	struct fw_regex *rx = ps->rx;
	struct fw_rx_node *x = &rx->nodes[t];
	const struct fw_rx_node *y = &rx->nodes[c];

	if (y->kind != FW_RX_CHAR || c + 1 != rx->n_nodes || x->flags != y->flags)
		return false;
	if (x->kind == FW_RX_CHAR) {
		if (!text_push(ps, x->cp))
			return false;
		x->kind = FW_RX_TEXT;
		x->cp = FW_RX_NONE;
		x->at = rx->n_text - 1;
		x->len = 1;
	} else if (x->kind != FW_RX_TEXT || x->at + x->len != rx->n_text) {
		return false;
	}
	if (!text_push(ps, y->cp))
		return false;
	x->len++;
	x->src_end = y->src_end;
	rx->n_nodes--;
	return true;
}

void
fw__rx_append(struct rx_parser *ps, uint32_t parent, uint32_t *tail, uint32_t child)
{
	if (*tail != FW_RX_NONE && join_text(ps, *tail, child))
		return;
	if (*tail == FW_RX_NONE)
		ps->rx->nodes[parent].child = child;
	else
		ps->rx->nodes[*tail].next = child;
	*tail = child;
}

void
fw_regex_free(struct fw_regex *rx)
{
	if (!rx)
		return;
	free(rx->nodes);
	free(rx->sets);
	free(rx->text);
	rx->nodes = NULL;
	rx->sets = NULL;
	rx->text = NULL;
	rx->n_nodes = rx->cap_nodes = rx->n_sets = rx->cap_sets = rx->n_text = rx->cap_text = 0;
	rx->root = FW_RX_NONE;
}

uint32_t
fw_regex_items(const struct fw_regex *rx)
{
	const struct fw_rx_node *root;

	if (rx->root == FW_RX_NONE)
		return FW_RX_NONE;
	root = &rx->nodes[rx->root];
	if (root->child == FW_RX_NONE || rx->nodes[root->child].next != FW_RX_NONE)
		return FW_RX_NONE;
	return rx->nodes[root->child].child;
}

bool
fw_regex_same_nodes(const struct fw_regex *a, uint32_t x, const struct fw_regex *b, uint32_t y, bool siblings)
{
	while (x != FW_RX_NONE && y != FW_RX_NONE) {
		const struct fw_rx_node *m = &a->nodes[x], *n = &b->nodes[y];

		if (m->kind != n->kind || m->flags != n->flags || m->nonascii != n->nonascii || m->greed != n->greed ||
		    m->cp != n->cp || m->min != n->min || m->max != n->max)
			return false;
		if (m->kind == FW_RX_TEXT &&
		    (m->len != n->len || memcmp(fw_rx_text(a, m), fw_rx_text(b, n), m->len * sizeof(uint32_t)) != 0))
			return false;
		if (m->kind == FW_RX_CLASS &&
		    memcmp(fw_rx_class_set(a, m), fw_rx_class_set(b, n), sizeof(struct fw_rx_bytes)) != 0)
			return false;
		if (!fw_regex_same_nodes(a, m->child, b, n->child, true))
			return false;
		if (!siblings)
			return true;
		x = m->next;
		y = n->next;
	}
	return x == FW_RX_NONE && y == FW_RX_NONE;
}

static uint32_t
add_sat(uint32_t a, uint32_t b)
{
	return a > UINT32_MAX - b ? UINT32_MAX : a + b;
}

/* Bytes of code point cp in a match: its UTF-8 length, or 1 for a caseless one outside ASCII. */
static uint32_t
char_min_bytes(uint32_t cp, bool caseless)
{
	if (cp < 0x80 || caseless)
		return 1;
	return cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

uint32_t
fw_regex_min_bytes(const struct fw_regex *rx, uint32_t x)
{
	const struct fw_rx_node *n;
	uint32_t sum = 0, best = UINT32_MAX, one;

	if (x == FW_RX_NONE)
		return 0;
	n = &rx->nodes[x];
	switch (n->kind) {
	case FW_RX_CHAR:
		return char_min_bytes(n->cp, n->flags & FW_RX_F_CASELESS);
	case FW_RX_TEXT:
		for (uint32_t i = 0; i < n->len; i++)
			sum = add_sat(sum, char_min_bytes(fw_rx_text(rx, n)[i], n->flags & FW_RX_F_CASELESS));
		return sum;
	case FW_RX_CLASS:
	case FW_RX_ANY:
		return 1;
	case FW_RX_CAT:
		for (uint32_t k = n->child; k != FW_RX_NONE; k = rx->nodes[k].next)
			sum = add_sat(sum, fw_regex_min_bytes(rx, k));
		return sum;
	case FW_RX_ALT:
		for (uint32_t k = n->child; k != FW_RX_NONE && best; k = rx->nodes[k].next) {
			one = fw_regex_min_bytes(rx, k);
			best = one < best ? one : best;
		}
		return n->child == FW_RX_NONE ? 0 : best;
	case FW_RX_GROUP:
		return fw_regex_min_bytes(rx, n->child);
	case FW_RX_REPEAT:
		one = n->min ? fw_regex_min_bytes(rx, n->child) : 0;
		return one && n->min > UINT32_MAX / one ? UINT32_MAX : one * n->min;
	default:        /* empty, anchors, \b, opaque (a backreference may be empty) */
		return 0;
	}
}
