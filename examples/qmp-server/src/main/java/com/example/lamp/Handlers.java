package com.example.lamp;

import com.example.lamp.qmp.Echo;
import com.example.lamp.qmp.EchoArguments;
import com.example.lamp.qmp.Event;
import com.example.lamp.qmp.LampInfo;
import com.example.lamp.qmp.SchemaCommands;
import com.example.lamp.qmp.SetLampArguments;
import java.util.concurrent.CompletionStage;
import org.qapi4j.qmp.QmpException;
import org.qapi4j.qmp.dispatch.CommandContext;
import org.qapi4j.qmp.dispatch.Replies;

/**
 * The lamp's commands: the generated handler interface of the schema module {@code
 * schema.json}, {@link SchemaCommands}, one method per command. The module {@code power.json}
 * has an interface of its own, {@code PowerCommands}, which nothing here implements: the
 * server answers its commands with {@code CommandNotFound}.
 *
 * <p>The server runs handlers one at a time on its main loop, so this state needs no lock.
 */
public final class Handlers implements SchemaCommands {
    private boolean on;
    private int brightness = 100;

    @Override
    public CompletionStage<LampInfo> queryLamp(CommandContext context) {
        return Replies.done(new LampInfo(on, brightness));
    }

    @Override
    public CompletionStage<Void> setLamp(CommandContext context, SetLampArguments arguments) {
        Integer dimmed = arguments.brightness();
        if (dimmed != null && dimmed > 100) {
            throw QmpException.generic("Parameter 'brightness' expects a percentage, at most 100");
        }
        on = arguments.on();
        brightness = dimmed != null ? dimmed : brightness;
        context.emit(new Event.LampChanged(on, brightness));
        return Replies.done();
    }

    @Override
    public CompletionStage<Echo> echo(CommandContext context, EchoArguments arguments) {
        int times = arguments.times() != null ? arguments.times() : 1;
        return Replies.done(new Echo(arguments.text().repeat(times)));
    }
}
