# Rules every target Makefile shares: objects from SOURCES into $(O), out-of-tree. Include it
# after SOURCES, CC and CFLAGS are set; the including Makefile defines `all`.
.DEFAULT_GOAL := all
OBJECTS := $(addprefix $(O)/,$(notdir $(SOURCES:.c=.o)))
vpath %.c $(sort $(dir $(SOURCES)))

$(O)/%.o: %.c | $(O)
	$(CC) $(CFLAGS) -c -o $@ $<

$(O):
	mkdir -p $@

clean:
	rm -rf $(O)

.PHONY: all clean
