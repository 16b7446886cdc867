-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "lastEventSequence" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "notReturnable" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "problem" TEXT,
ADD COLUMN     "rounds" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "supervisionEscalated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "workflowStatus" TEXT NOT NULL DEFAULT 'running';

-- CreateTable
CREATE TABLE "TicketNote" (
    "id" BIGSERIAL NOT NULL,
    "ticketNo" TEXT NOT NULL,
    "by" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TicketNote_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TicketNote_ticketNo_by_at_idx" ON "TicketNote"("ticketNo", "by", "at");

-- CreateIndex
CREATE INDEX "TicketEvent_ticketNo_actor_at_idx" ON "TicketEvent"("ticketNo", "actor", "at");

-- AddForeignKey
ALTER TABLE "TicketNote" ADD CONSTRAINT "TicketNote_ticketNo_fkey" FOREIGN KEY ("ticketNo") REFERENCES "Ticket"("ticketNo") ON DELETE RESTRICT ON UPDATE CASCADE;


-- The handling departments (办理部门) of each unit, as units with a parent (第六条, 第八条): an assignment names one of
-- these, so an unknown department is refused before it reaches a ticket
INSERT INTO "Unit" ("id", "name", "kind", "parentId") VALUES
    ('passenger-division', '市道路运输局客运管理处', 'department', 'road-transport-bureau'),
    ('freight-division', '市道路运输局货运管理处', 'department', 'road-transport-bureau'),
    ('taxi-division', '市道路运输局出租汽车管理处', 'department', 'road-transport-bureau'),
    ('passenger-transport-dept', '市道路运输局公交客运处', 'department', 'road-transport-bureau'),
    ('port-operations-division', '市港航局港口管理处', 'department', 'port-shipping-bureau'),
    ('waterway-division', '市港航局航道管理处', 'department', 'port-shipping-bureau'),
    ('enforcement-division', '市交通运输执法总队执法处', 'department', 'transport-enforcement-corps'),
    ('road-enforcement-detachment', '市交通运输执法总队道路运输执法支队', 'department', 'transport-enforcement-corps'),
    ('highway-maintenance-division', '市公路中心养护管理处', 'department', 'highway-center'),
    ('service-hall-division', '市综合服务中心窗口服务处', 'department', 'comprehensive-service-center')
ON CONFLICT ("id") DO NOTHING;
