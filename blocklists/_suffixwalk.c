/* The compiled matcher's label-suffix walk, in C: the proxy asks it once per request.

   It does exactly what SuffixWalk.walk in matcher.py does, over the same memory-mapped file:
   for every suffix of a host that starts at a label and holds a dot, test the bit filter, then
   scan the ordered slot table from the suffix's home slot. Python pays about a microsecond of
   interpreter work per probed suffix; here a probe costs a CRC over a few bytes and two memory
   reads. The pure-Python walk stays the reference (and the fallback when no C compiler was
   available at install time); a test runs both over the real lists and compares them.

   The file format is documented in matcher.py. Keys are CRC-32 (zlib's) of the name in the high
   half and of the reversed name in the low half. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define FLAG_MORE 4u
#define MAX_NAME 253 /* the longest DNS name; longer hosts never reach the matcher */

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
} SuffixWalk;

static void release(SuffixWalk *self) {
    if (self->held) {
        PyBuffer_Release(&self->filter);
        PyBuffer_Release(&self->table);
        self->held = 0;
    }
}

static int SuffixWalk_init(SuffixWalk *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"filter", "table", "filter_bits", "homes", NULL};
    PyObject *filter, *table;
    unsigned int filter_bits;
    unsigned long long homes;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOIK", names, &filter, &table, &filter_bits, &homes))
        return -1;
    release(self);
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

/* Appends (start, head, line) for every slot holding key, to out; returns -1 on error. */
static int probe(SuffixWalk *self, Py_ssize_t start, uint64_t key, PyObject *out) {
    const uint32_t *words = (const uint32_t *)self->table.buf;
    uint64_t slot = (key >> 32) * self->homes >> 32;
    for (; slot < self->slots; slot++) {
        uint64_t slot_key = (uint64_t)words[4 * slot + 1] << 32 | words[4 * slot];
        if (slot_key == 0 || slot_key > key)
            return 0;
        if (slot_key == key)
            break;
    }
    for (; slot < self->slots; slot++) {
        uint32_t head = words[4 * slot + 2];
        PyObject *entry = Py_BuildValue("(nkk)", start, (unsigned long)head, (unsigned long)words[4 * slot + 3]);
        if (entry == NULL)
            return -1;
        int failed = PyList_Append(out, entry);
        Py_DECREF(entry);
        if (failed)
            return -1;
        if (!(head & FLAG_MORE))
            return 0;
    }
    return 0;
}

static PyObject *SuffixWalk_walk(SuffixWalk *self, PyObject *arg) {
    if (!self->held) {
        PyErr_SetString(PyExc_ValueError, "the walk is closed");
        return NULL;
    }
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "walk() takes the host as a str");
        return NULL;
    }
    /* A normalised host is ASCII, whose UTF-8 form CPython keeps inside the str: no copy. */
    Py_ssize_t length;
    const unsigned char *data = (const unsigned char *)PyUnicode_AsUTF8AndSize(arg, &length);
    if (data == NULL)
        return NULL;
    const unsigned char *filter = (const unsigned char *)self->filter.buf;
    PyObject *found = NULL; /* created on the first match: a miss allocates nothing */
    Py_ssize_t start = 0;
    const unsigned char *dot = memchr(data, '.', (size_t)length);
    while (dot != NULL) { /* a lone top-level label is never an entry: names hold a dot */
        const unsigned char *suffix = data + start;
        Py_ssize_t size = length - start;
        uint32_t high = crc32_forward(suffix, size);
        uint64_t bit = high & self->mask;
        if (filter[bit >> 3] >> (bit & 7) & 1) {
            uint64_t key = (uint64_t)high << 32 | crc32_backward(suffix, size);
            if (found == NULL && (found = PyList_New(0)) == NULL)
                return NULL;
            if (probe(self, start, key, found) < 0) {
                Py_DECREF(found);
                return NULL;
            }
        }
        start = dot - data + 1;
        dot = memchr(data + start, '.', (size_t)(length - start));
    }
    if (found == NULL)
        return PyTuple_New(0); /* the shared empty tuple: a miss allocates nothing */
    return found;
}

static PyObject *SuffixWalk_close(SuffixWalk *self, PyObject *Py_UNUSED(ignored)) {
    release(self);
    Py_RETURN_NONE;
}

static void SuffixWalk_dealloc(SuffixWalk *self) {
    release(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef SuffixWalk_methods[] = {
    {"walk", (PyCFunction)SuffixWalk_walk, METH_O,
     "walk(host: str) -> [(start, head, line), ...] (() when nothing matches), most specific suffix first"},
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
