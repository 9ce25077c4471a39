/* The compiled matcher's label-suffix walk, in C: the proxy asks it once per request.

   It does what SuffixWalk in matcher.py does, over the same memory-mapped file: for every suffix of
   a host that starts at a label and holds a dot, test the bit filter, then scan the ordered slot
   table from the suffix's home slot. walk() returns every matching entry; hits() answers the usual
   cases whole (no match, or one plain entry as a policy.ListHit), since in Python building that
   named tuple cost more than the walk itself, and returns walk()'s entries for the rest. Python pays about a microsecond of interpreter work
   per probed suffix; here a probe costs a CRC over a few bytes and two memory reads. The Python
   walk stays the reference (and the fallback when no C compiler was available at install time);
   every matcher test runs with both, and one compares them over real lists.

   The file format is documented in matcher.py. Keys are CRC-32 (zlib's) of the name in the high
   half and of the reversed name in the low half. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define FLAG_MORE 4u

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t byte = 0; byte < 256; byte++) {
        uint32_t crc = byte;
        for (int bit = 0; bit < 8; bit++)
            crc = crc & 1 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        crc_table[byte] = crc;
    }
}

static uint32_t crc32_forward(const unsigned char *data, Py_ssize_t length) {
    uint32_t crc = 0xFFFFFFFFu;
    for (Py_ssize_t i = 0; i < length; i++)
        crc = crc_table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

static uint32_t crc32_backward(const unsigned char *data, Py_ssize_t length) {
    uint32_t crc = 0xFFFFFFFFu;
    for (Py_ssize_t i = length - 1; i >= 0; i--)
        crc = crc_table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

typedef struct {
    PyObject_HEAD
    Py_buffer filter; /* bit filter: bit (high & mask) */
    Py_buffer table;  /* slots of four little-endian uint32: key low, key high, head, line */
    uint64_t mask;
    uint64_t homes;
    uint64_t slots;
    int held; /* 1 while both buffers are held */
    PyObject *plain;         /* tuple: head -> (category, list name) for a plain entry, or None */
    PyTypeObject *hit_type;  /* policy.ListHit, a named tuple: (category, rule, list name, line) */
} SuffixWalk;

static void release(SuffixWalk *self) {
    if (self->held) {
        PyBuffer_Release(&self->filter);
        PyBuffer_Release(&self->table);
        self->held = 0;
    }
}

static int SuffixWalk_init(SuffixWalk *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"filter", "table", "filter_bits", "homes", "plain", "hit_type", NULL};
    PyObject *filter, *table, *plain, *hit_type;
    unsigned int filter_bits;
    unsigned long long homes;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOIKO!O!", names, &filter, &table, &filter_bits, &homes,
                                     &PyTuple_Type, &plain, &PyType_Type, &hit_type))
        return -1;
    PyTypeObject *type = (PyTypeObject *)hit_type;
    /* hits() fills instances the way tuple.__new__ does, so the type must be laid out as a tuple. */
    if (!PyType_IsSubtype(type, &PyTuple_Type) || type->tp_basicsize != PyTuple_Type.tp_basicsize) {
        PyErr_SetString(PyExc_TypeError, "hit_type must be a tuple subclass without extra fields");
        return -1;
    }
    release(self);
    Py_INCREF(plain);
    Py_XSETREF(self->plain, plain);
    Py_INCREF(hit_type);
    Py_XSETREF(self->hit_type, type);
    if (PyObject_GetBuffer(filter, &self->filter, PyBUF_SIMPLE) < 0)
        return -1;
    if (PyObject_GetBuffer(table, &self->table, PyBUF_SIMPLE) < 0) {
        PyBuffer_Release(&self->filter);
        return -1;
    }
    self->held = 1;
    self->mask = filter_bits >= 64 ? UINT64_MAX : ((uint64_t)1 << filter_bits) - 1;
    self->homes = homes;
    self->slots = (uint64_t)self->table.len / 16;
    if (filter_bits < 3 || filter_bits > 40 || (uint64_t)self->filter.len * 8 < self->mask + 1
        || homes == 0 || homes > self->slots) {
        release(self);
        PyErr_SetString(PyExc_ValueError, "filter or table does not match the sizes given");
        return -1;
    }
    return 0;
}

typedef struct {
    Py_ssize_t start;
    uint32_t head;
    uint32_t line;
} Match;

/* Records every entry whose key matches a suffix of data, most specific first, in up to room
   matches; returns how many there are (possibly more than room: then only room are recorded). */
static Py_ssize_t collect(SuffixWalk *self, const unsigned char *data, Py_ssize_t length, Match *out,
                          Py_ssize_t room) {
    const unsigned char *filter = (const unsigned char *)self->filter.buf;
    const uint32_t *words = (const uint32_t *)self->table.buf;
    Py_ssize_t count = 0, start = 0;
    const unsigned char *dot = memchr(data, '.', (size_t)length);
    while (dot != NULL) { /* a lone top-level label is never an entry: names hold a dot */
        const unsigned char *suffix = data + start;
        Py_ssize_t size = length - start;
        uint32_t high = crc32_forward(suffix, size);
        uint64_t bit = high & self->mask;
        if (filter[bit >> 3] >> (bit & 7) & 1) {
            /* Scan from the home slot: the table is in key order, so a smaller key means "further
               on", and an empty slot (0) or a larger key means "not here". */
            uint64_t key = (uint64_t)high << 32 | crc32_backward(suffix, size);
            uint64_t slot = (key >> 32) * self->homes >> 32;
            while (slot < self->slots) {
                uint64_t slot_key = (uint64_t)words[4 * slot + 1] << 32 | words[4 * slot];
                if (slot_key == 0 || slot_key >= key)
                    break;
                slot++;
            }
            /* Entries with one key are adjacent; all but the last carry FLAG_MORE. */
            while (slot < self->slots && ((uint64_t)words[4 * slot + 1] << 32 | words[4 * slot]) == key) {
                uint32_t head = words[4 * slot + 2];
                if (count < room)
                    out[count] = (Match){start, head, words[4 * slot + 3]};
                count++;
                if (!(head & FLAG_MORE))
                    break;
                slot++;
            }
        }
        start = dot - data + 1;
        dot = memchr(data + start, '.', (size_t)(length - start));
    }
    return count;
}

static const unsigned char *host_bytes(SuffixWalk *self, PyObject *host, Py_ssize_t *length) {
    if (!self->held) {
        PyErr_SetString(PyExc_ValueError, "the walk is closed");
        return NULL;
    }
    if (!PyUnicode_Check(host)) {
        PyErr_SetString(PyExc_TypeError, "the host must be a str");
        return NULL;
    }
    /* A normalised host is ASCII, whose UTF-8 form CPython keeps inside the str: no copy. */
    return (const unsigned char *)PyUnicode_AsUTF8AndSize(host, length);
}

static PyObject *SuffixWalk_walk(SuffixWalk *self, PyObject *host) {
    Py_ssize_t length;
    const unsigned char *data = host_bytes(self, host, &length);
    if (data == NULL)
        return NULL;
    Match few[8];
    Py_ssize_t count = collect(self, data, length, few, 8);
    Match *matches = few;
    if (count > 8) { /* a long host listed at many levels, or in many lists: rare */
        matches = PyMem_New(Match, count);
        if (matches == NULL)
            return PyErr_NoMemory();
        collect(self, data, length, matches, count);
    }
    PyObject *found = PyList_New(count);
    for (Py_ssize_t i = 0; found != NULL && i < count; i++) {
        PyObject *entry = Py_BuildValue("(nkk)", matches[i].start, (unsigned long)matches[i].head,
                                        (unsigned long)matches[i].line);
        if (entry == NULL)
            Py_CLEAR(found);
        else
            PyList_SET_ITEM(found, i, entry);
    }
    if (matches != few)
        PyMem_Free(matches);
    return found;
}

/* The proxy's question. () for no match; (hit,) for the usual hit, one plain entry, built here
   because building the named tuple in Python costs more than the whole walk; otherwise walk()'s
   list of entries, for the caller to resolve in full (exceptions, URL prefixes, several entries). */
static PyObject *SuffixWalk_hits(SuffixWalk *self, PyObject *host) {
    Py_ssize_t length;
    const unsigned char *data = host_bytes(self, host, &length);
    if (data == NULL)
        return NULL;
    Match match;
    Py_ssize_t count = collect(self, data, length, &match, 1);
    if (count == 0)
        return PyTuple_New(0); /* the shared empty tuple: a miss allocates nothing */
    if (count > 1 || !PyUnicode_IS_ASCII(host) || match.head >= (uint32_t)PyTuple_GET_SIZE(self->plain))
        return SuffixWalk_walk(self, host);
    PyObject *plain = PyTuple_GET_ITEM(self->plain, match.head);
    if (plain == Py_None || !PyTuple_Check(plain) || PyTuple_GET_SIZE(plain) != 2)
        return SuffixWalk_walk(self, host);
    PyObject *rule = PyUnicode_Substring(host, match.start, length);
    PyObject *line = PyLong_FromUnsignedLong(match.line);
    PyObject *hit = self->hit_type->tp_alloc(self->hit_type, 4);
    PyObject *answer = hit == NULL ? NULL : PyTuple_New(1);
    if (rule == NULL || line == NULL || answer == NULL) {
        Py_XDECREF(rule);
        Py_XDECREF(line);
        Py_XDECREF(hit);
        return NULL;
    }
    PyObject *category = PyTuple_GET_ITEM(plain, 0), *list_name = PyTuple_GET_ITEM(plain, 1);
    Py_INCREF(category);
    Py_INCREF(list_name);
    PyTuple_SET_ITEM(hit, 0, category);
    PyTuple_SET_ITEM(hit, 1, rule);
    PyTuple_SET_ITEM(hit, 2, list_name);
    PyTuple_SET_ITEM(hit, 3, line);
    PyTuple_SET_ITEM(answer, 0, hit);
    return answer;
}

static PyObject *SuffixWalk_close(SuffixWalk *self, PyObject *Py_UNUSED(ignored)) {
    release(self);
    Py_RETURN_NONE;
}

static void SuffixWalk_dealloc(SuffixWalk *self) {
    release(self);
    Py_XDECREF(self->plain);
    Py_XDECREF(self->hit_type);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef SuffixWalk_methods[] = {
    {"walk", (PyCFunction)SuffixWalk_walk, METH_O,
     "walk(host: str) -> [(start, head, line), ...], most specific suffix first"},
    {"hits", (PyCFunction)SuffixWalk_hits, METH_O,
     "hits(host: str) -> () | (hit,) | [(start, head, line), ...]: the answer, or walk()'s entries to resolve"},
    {"close", (PyCFunction)SuffixWalk_close, METH_NOARGS, "Release the file's buffers."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject SuffixWalkType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "kiteguard.blocklists._suffixwalk.SuffixWalk",
    .tp_doc = "The label-suffix walk over a compiled list file's filter and slot table.",
    .tp_basicsize = sizeof(SuffixWalk),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)SuffixWalk_init,
    .tp_dealloc = (destructor)SuffixWalk_dealloc,
    .tp_methods = SuffixWalk_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_suffixwalk", "The compiled matcher's suffix walk, in C.", -1, NULL,
};

PyMODINIT_FUNC PyInit__suffixwalk(void) {
    crc_init();
    if (PyType_Ready(&SuffixWalkType) < 0)
        return NULL;
    PyObject *mod = PyModule_Create(&module);
    if (mod == NULL)
        return NULL;
    Py_INCREF(&SuffixWalkType);
    if (PyModule_AddObject(mod, "SuffixWalk", (PyObject *)&SuffixWalkType) < 0) {
        Py_DECREF(&SuffixWalkType);
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
